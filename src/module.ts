import { DataSourcePlugin } from '@grafana/data';

import { DataSource } from './datasource';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { FastlyOptions, FastlyQuery, FastlySecureJsonData } from './types';

export const plugin = new DataSourcePlugin<DataSource, FastlyQuery, FastlyOptions, FastlySecureJsonData>(DataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
