// Which imports the second package set answers: each package its package.json depends on
// (@grafana/*, React, rxjs), whoever imports it, so src/, the root's test libraries and these
// packages share one React and one @grafana/data. Everything else resolves as usual. The jest
// resolver and the browser harness's webpack config use this.
const { dependencies } = require('./package.json');

const ours = new Set(Object.keys(dependencies));

/** '@grafana/data/unstable' -> '@grafana/data', 'react-dom/client' -> 'react-dom'. */
function packageOf(request) {
  const parts = request.split('/');
  return request.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

module.exports = {
  /** The folder to resolve such an import from. */
  dir: __dirname,
  /** Whether this set answers the import `request`. */
  answers: (request) => ours.has(packageOf(request)),
};
