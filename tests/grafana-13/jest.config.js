// The unit tests against the second package set (Grafana 13.2, React 19): the root jest settings,
// with this set's packages resolved from here (resolver.js).
const path = require('path');
const base = require('../../jest.config');
const { grafanaESModules, nodeModulesToTransform } = require('../../.config/jest/utils');

// @grafana/ui 13 also pulls in these packages that ship only ES modules.
const moreESModules = ['@react-hookz', '@ver0'];

module.exports = {
  ...base,
  rootDir: path.join(__dirname, '..', '..'),
  resolver: path.join(__dirname, 'resolver.js'),
  transformIgnorePatterns: [nodeModulesToTransform([...grafanaESModules, ...moreESModules])],
};
