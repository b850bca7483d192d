// Bundles the dashboard pictures' page (tests/browser/dashboards.tsx) with the browser harness's
// loaders, into its own directory so it never clobbers the harness's build.
const path = require('path');
const harness = require('./webpack.config.js');

module.exports = {
  ...harness,
  entry: path.join(__dirname, 'dashboards.tsx'),
  output: { ...harness.output, path: path.join(__dirname, '.build', 'dashboards'), filename: 'dashboards.js' },
};
