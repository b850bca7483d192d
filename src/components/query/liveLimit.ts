import { LIMITS } from '../../queryTypes';
import { ALL_SERVICES, FastlyQuery } from '../../types';

/** Services one real-time or live query can stream: the backend's limit, from its registry file. */
export const MAX_LIVE_SERVICES = LIMITS.maxLiveServices;

/**
 * Why the backend will refuse a streaming query for its services, said before it runs; '' when
 * it will not. `resolved` are the chosen services with variables expanded, `accountServices`
 * how many the token can see (undefined while unknown).
 */
export function liveServicesWarning(
  query: FastlyQuery,
  streams: boolean,
  resolved: string[],
  accountServices: number | undefined
): string {
  if (!streams) {
    return '';
  }
  const what = query.queryType === 'realtime' ? 'Real-time queries' : 'Live queries';
  if (query.services.includes(ALL_SERVICES)) {
    if (accountServices === undefined || accountServices <= MAX_LIVE_SERVICES) {
      return '';
    }
    const all =
      query.queryType === 'realtime'
        ? `All services is ${accountServices} here`
        : `All services means every service with the product enabled, of the ${accountServices} the token can see`;
    return `${what} stream at most ${MAX_LIVE_SERVICES} services, and ${all}: choose up to ${MAX_LIVE_SERVICES} services or a variable, or use a Historical query for the whole account.`;
  }
  if (resolved.length > MAX_LIVE_SERVICES) {
    return `${what} stream at most ${MAX_LIVE_SERVICES} services (this one has ${resolved.length}): choose fewer.`;
  }
  return '';
}
