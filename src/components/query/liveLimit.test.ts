import { DEFAULT_QUERY, FastlyQuery } from '../../types';
import { liveServicesWarning } from './liveLimit';

const q = (over: Partial<FastlyQuery>): FastlyQuery => ({
  ...DEFAULT_QUERY,
  refId: 'A',
  queryType: 'realtime',
  ...over,
});
const ids = (n: number) => Array.from({ length: n }, (_, i) => `svc${i}`);

describe('liveServicesWarning', () => {
  it('says before running that All services is too many for real-time', () => {
    expect(liveServicesWarning(q({ services: ['*'] }), [], 45)).toBe(
      'Real-time queries stream at most 10 services, and All services is 45 here: choose up to 10 services or a variable, or use a Historical query for the whole account.'
    );
  });

  it('says nothing where All services fits, or while the count is unknown', () => {
    expect(liveServicesWarning(q({ services: ['*'] }), [], 10)).toBe('');
    expect(liveServicesWarning(q({ services: ['*'] }), [], undefined)).toBe('');
  });

  it('counts the services a variable expands to', () => {
    expect(liveServicesWarning(q({ services: ['$service'] }), ids(12), 45)).toBe(
      'Real-time queries stream at most 10 services (this one has 12): choose fewer.'
    );
    expect(liveServicesWarning(q({ services: ['$service'] }), ids(10), 45)).toBe('');
  });

  it('warns live inspector queries that All services depends on the product', () => {
    expect(liveServicesWarning(q({ queryType: 'origins', live: true, services: ['*'] }), [], 45)).toMatch(
      /^Live queries stream at most 10 services, and All services means every service with the product enabled/
    );
  });

  it('never warns a query that does not stream', () => {
    expect(liveServicesWarning(q({ queryType: 'stats', services: ['*'] }), [], 450)).toBe('');
  });
});
