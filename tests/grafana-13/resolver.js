// Jest resolver for the second package set: its packages resolve from here (packages.js).
const set = require('./packages');

module.exports = (request, options) =>
  options.defaultResolver(request, set.answers(request) ? { ...options, basedir: set.dir } : options);
