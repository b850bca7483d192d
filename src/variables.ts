import { CustomVariableSupport, DataQueryRequest, DataQueryResponse } from '@grafana/data';
import { Observable } from 'rxjs';

import type { DataSource } from './datasource';
import { VariableQueryEditor } from './components/VariableQueryEditor';
import { FastlyQuery, FastlyVariableQuery } from './types';

/** Dashboard variables listing services (value id, text name), POPs, regions or metrics. */
export class FastlyVariableSupport extends CustomVariableSupport<DataSource, FastlyVariableQuery, FastlyQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: DataSource) {
    super();
  }

  query(request: DataQueryRequest<FastlyVariableQuery>): Observable<DataQueryResponse> {
    return this.datasource.runVariableQuery(request);
  }
}
