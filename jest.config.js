// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');

module.exports = {
  // Jest configuration provided by Grafana scaffolding
  ...base,
  transform: {
    ...base.transform,
    // d3-color (pulled in by @grafana/data) ships only .mjs files now, which the scaffold's
    // `(t|j)sx?` pattern misses; compile them with the same swc settings.
    '^.+\\.mjs$': base.transform['^.+\\.(t|j)sx?$'],
  },
  // Editor tests type into real select menus; on a busy 2-core CI machine one such test can
  // take several seconds, so allow more than jest's default 5 s before calling it hung.
  testTimeout: 30000,
};
