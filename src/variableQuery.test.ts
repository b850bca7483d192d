import { toVariableQuery } from './variableQuery';
import { FastlyVariableQuery } from './types';

describe('toVariableQuery', () => {
  it('keeps a current variable query', () => {
    const q: FastlyVariableQuery = { refId: 'v', kind: 'metrics', queryType: 'realtime' };
    expect(toVariableQuery(q)).toBe(q);
  });

  it('reads a bare kind string', () => {
    expect(toVariableQuery('pops')).toEqual({ refId: 'variable', kind: 'pops' });
    expect(toVariableQuery(' regions ')).toEqual({ refId: 'variable', kind: 'regions' });
  });

  it('lists services for anything it does not know', () => {
    expect(toVariableQuery('')).toEqual({ refId: 'variable', kind: 'services' });
    expect(toVariableQuery(undefined)).toEqual({ refId: 'variable', kind: 'services' });
    expect(toVariableQuery({ refId: 'x', kind: 'bogus' } as unknown as FastlyVariableQuery)).toEqual({
      refId: 'x',
      kind: 'services',
    });
  });
});
