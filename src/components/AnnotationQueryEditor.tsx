import React, { useMemo } from 'react';
import { QueryEditorProps } from '@grafana/data';
import { InlineField, InlineFieldRow } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { migrateQuery } from '../migrations';
import { DEFAULT_ANNOTATION_QUERY, FastlyOptions, FastlyQuery } from '../types';
import { EventTypesField } from './EventTypesField';
import { LABEL_WIDTH } from './layout';
import { ServicePicker } from './ServicePicker';
import { selectors } from './selectors';

type Props = QueryEditorProps<DataSource, FastlyQuery, FastlyOptions>;

/**
 * Annotations from Fastly events of the chosen services and types: version activations and
 * deactivations and purge-alls unless the picker turns them off, and any type it adds.
 */
export function AnnotationQueryEditor({ query: raw, onChange, datasource }: Props) {
  const query = useMemo(
    () => migrateQuery({ ...DEFAULT_ANNOTATION_QUERY, ...raw, queryType: 'events', refId: raw?.refId ?? 'Anno' }),
    [raw]
  );
  return (
    <div data-testid={selectors.annotation.editor}>
      <InlineFieldRow>
        <InlineField
          label="Services"
          labelWidth={LABEL_WIDTH}
          grow
          tooltip="Events of these services; All services for every one"
        >
          <ServicePicker
            datasource={datasource}
            inputId="fastly-annotation-services"
            testId={selectors.query.services}
            value={query.services}
            onChange={(services) => onChange({ ...query, services })}
          />
        </InlineField>
      </InlineFieldRow>
      <InlineFieldRow>
        <EventTypesField
          value={query}
          onChange={(fields) => onChange({ ...query, ...fields })}
          labelWidth={LABEL_WIDTH}
        />
      </InlineFieldRow>
    </div>
  );
}
