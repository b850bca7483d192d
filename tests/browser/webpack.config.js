// Bundles the browser harness (tests/browser/harness.tsx) with React and @grafana/* included,
// so the built plugin (dist/module.js) can be loaded next to it. Development mode: no minifying.
// PACKAGE_SET=<dir> takes @grafana/*, React and rxjs from another package set instead of the
// root's (tests/grafana-13: Grafana 13.2 with React 19; see its packages.js). run.mjs sets it.
const path = require('path');

/** Resolves each import the package set answers from the set's folder, whoever imports it. */
class PackageSetPlugin {
  constructor(dir) {
    this.set = require(path.resolve(__dirname, '..', '..', dir, 'packages.js'));
  }
  apply(compiler) {
    compiler.hooks.normalModuleFactory.tap('PackageSetPlugin', (factory) => {
      factory.hooks.beforeResolve.tap('PackageSetPlugin', (data) => {
        if (this.set.answers(data.request)) {
          data.context = this.set.dir;
        }
      });
    });
  }
}

module.exports = {
  mode: 'development',
  devtool: false,
  entry: path.join(__dirname, 'harness.tsx'),
  output: { path: path.join(__dirname, '.build'), filename: 'harness.js', publicPath: '/', clean: true },
  resolve: { extensions: ['.js', '.jsx', '.ts', '.tsx', '.mjs'] },
  performance: { hints: false },
  module: {
    rules: [
      {
        test: /\.[tj]sx?$/,
        exclude: /node_modules/,
        use: {
          loader: 'swc-loader',
          options: { jsc: { target: 'es2020', parser: { syntax: 'typescript', tsx: true } } },
        },
      },
      { test: /\.m?js$/, resolve: { fullySpecified: false } },
      // @grafana/ui ships .mjs that default-import CommonJS packages (react-custom-scrollbars-2,
      // used by its Table): strict .mjs semantics would hand it the exports object, not the
      // component, so read these files with the usual CommonJS interop.
      { test: /\.mjs$/, include: /node_modules\/@grafana\//, type: 'javascript/auto' },
      { test: /\.css$/, use: ['style-loader', 'css-loader'] },
      { test: /\.(png|jpe?g|gif|svg|woff2?|ttf|eot)$/, type: 'asset/resource' },
    ],
  },
  plugins: process.env.PACKAGE_SET ? [new PackageSetPlugin(process.env.PACKAGE_SET)] : [],
};
