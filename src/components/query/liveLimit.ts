import { LIMITS, QUERY_TYPES, streams } from '../../queryTypes';
import { ALL_SERVICES, FastlyQuery } from '../../types';

/** Services one streaming query can take: the backend's limit, from its registry file. */
export const MAX_LIVE_SERVICES = LIMITS.maxLiveServices;

/**
 * Why the backend will refuse a streaming query for its services, said before it runs; '' when
 * it will not, or when the query does not stream. `resolved` are the chosen services with
 * variables expanded, `accountServices` how many the token can see (undefined while unknown).
 */
export function liveServicesWarning(
  query: FastlyQuery,
  resolved: string[] | undefined,
  accountServices: number | undefined
): string {
  if (!streams(query)) {
    return '';
  }
  const spec = QUERY_TYPES[query.queryType];
  // a type that always streams is named; one with a Live switch streams because Live is on
  const what = spec.streams ? `${spec.label} queries` : 'Live queries';
  if (query.services.includes(ALL_SERVICES)) {
    if (accountServices === undefined || accountServices <= MAX_LIVE_SERVICES) {
      return '';
    }
    const all = spec.product
      ? `All services means every service with the product enabled, of the ${accountServices} the token can see`
      : `All services is ${accountServices} here`;
    return `${what} stream at most ${MAX_LIVE_SERVICES} services, and ${all}: choose up to ${MAX_LIVE_SERVICES} services or a variable, or use a Historical query for the whole account.`;
  }
  const n = resolved?.length ?? 0;
  if (n > MAX_LIVE_SERVICES) {
    return `${what} stream at most ${MAX_LIVE_SERVICES} services (this one has ${n}): choose fewer.`;
  }
  return '';
}
