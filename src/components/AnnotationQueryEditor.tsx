import React, { useMemo } from 'react';
import { QueryEditorProps } from '@grafana/data';
import { InlineFieldRow } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { migrateQuery } from '../migrations';
import { viewOfQuery } from '../queryTypes';
import { DEFAULT_ANNOTATION_QUERY, FastlyOptions, FastlyQuery } from '../types';
import { FieldContext, ServicesField } from './query/fields';
import { QueryFields } from './query/views';
import { selectors } from './selectors';

type Props = QueryEditorProps<DataSource, FastlyQuery, FastlyOptions>;

/**
 * Annotations from Fastly events of the chosen services and types: the services and the fields
 * of the annotation query type, as the panel editor shows them for it. A change is saved; the
 * dashboard runs annotations itself.
 */
export function AnnotationQueryEditor({ query: raw, onChange, datasource }: Props) {
  const query = useMemo(
    () =>
      migrateQuery({
        ...DEFAULT_ANNOTATION_QUERY,
        ...raw,
        queryType: DEFAULT_ANNOTATION_QUERY.queryType,
        refId: raw?.refId ?? 'Anno',
      }),
    [raw]
  );
  const ctx: FieldContext = {
    query,
    datasource,
    view: viewOfQuery(query),
    catalog: [],
    apply: (patch) => onChange({ ...query, ...patch }),
    switchLive: () => undefined, // the annotation type has no Live switch
    errors: {},
  };
  return (
    <div data-testid={selectors.annotation.editor}>
      <InlineFieldRow>
        <ServicesField ctx={ctx} inputId="fastly-annotation-services" />
      </InlineFieldRow>
      <QueryFields ctx={ctx} />
    </div>
  );
}
