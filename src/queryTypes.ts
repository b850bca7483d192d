import { SelectableValue } from '@grafana/data';
import { GroupBy, QueryType } from './types';

/** Which editor fields a query type uses, and what it requires before it can run. */
export interface QueryTypeSpec {
  label: string;
  description: string;
  resolution: boolean;
  region: boolean;
  pops: boolean;
  perSecond: boolean;
  origins: boolean;
  domains: boolean;
  metrics: boolean;
  /** Whether the query needs services; usage and events are account-wide without them. */
  services: boolean;
  eventTypes: boolean;
  /** Allowed group-by values; the first is the default when switching to this type. */
  groupBy: GroupBy[];
}

const base = {
  resolution: false,
  region: false,
  pops: false,
  perSecond: false,
  origins: false,
  domains: false,
  metrics: true,
  services: true,
  eventTypes: false,
};

export const QUERY_TYPES: Record<QueryType, QueryTypeSpec> = {
  stats: {
    ...base,
    label: 'Historical',
    description: 'Historical stats per minute, hour or day',
    resolution: true,
    region: true,
    perSecond: true,
    groupBy: ['', 'service'],
  },
  realtime: {
    ...base,
    label: 'Real-time',
    description: 'Live per-second traffic, streamed',
    pops: true,
    perSecond: true,
    groupBy: ['', 'pop'],
  },
  origins: {
    ...base,
    label: 'Origins',
    description: 'Origin Inspector: responses from your origin servers',
    resolution: true,
    pops: true,
    perSecond: true,
    origins: true,
    groupBy: ['origin', 'pop', 'region'],
  },
  domains: {
    ...base,
    label: 'Domains',
    description: 'Domain Inspector: traffic per domain',
    resolution: true,
    pops: true,
    perSecond: true,
    domains: true,
    groupBy: ['domain', 'pop', 'region'],
  },
  usage: {
    ...base,
    label: 'Usage',
    description: 'Billing usage: bandwidth and requests per region',
    region: true,
    services: false,
    groupBy: ['region', 'service'],
  },
  events: {
    ...base,
    label: 'Events',
    description: 'Configuration changes and purges, as annotations',
    metrics: false,
    services: false,
    eventTypes: true,
    groupBy: [''],
  },
};

/** Query types offered in the panel query editor (events belong to the annotation editor). */
export const PANEL_QUERY_TYPES: QueryType[] = ['stats', 'realtime', 'origins', 'domains', 'usage'];

export const GROUP_BY_LABELS: Record<GroupBy, string> = {
  '': 'None',
  service: 'Service',
  pop: 'POP',
  region: 'Region',
  origin: 'Origin',
  domain: 'Domain',
};

export const RESOLUTION_OPTIONS: Array<SelectableValue<string>> = [
  { value: 'auto', label: 'Auto', description: 'Minute, hour or day from the time range and retention' },
  { value: 'minute', label: 'Minute', description: 'Kept by Fastly for 35 days' },
  { value: 'hour', label: 'Hour', description: 'Kept by Fastly for 375 days' },
  { value: 'day', label: 'Day' },
];

export function isQueryType(v: unknown): v is QueryType {
  return typeof v === 'string' && v in QUERY_TYPES;
}
