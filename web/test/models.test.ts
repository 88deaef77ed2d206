import { describe, expect, it } from 'vitest';
import { confusionMatrix, headline, rankedImportance } from '../src/models';

describe('models', () => {
  it('reads the headline metrics of the task, in order, numbers only', () => {
    expect(headline('binary', { f1: 0.5, roc_auc: 0.9, precision: null, rows: 10 })).toEqual([
      ['roc_auc', 0.9],
      ['f1', 0.5],
    ]);
    expect(headline('regression', { mae: 2, rmse: 3 })).toEqual([
      ['rmse', 3],
      ['mae', 2],
    ]);
    expect(headline('binary', undefined)).toEqual([]);
  });

  it('ranks features by importance, dropping the unknown', () => {
    expect(rankedImportance({ a: 0.1, b: 0.7, c: null, d: 0.2 })).toEqual([
      ['b', 0.7],
      ['d', 0.2],
      ['a', 0.1],
    ]);
  });

  it('lays a binary confusion out as actual rows and predicted columns', () => {
    expect(confusionMatrix({ confusion: { tp: 277, fp: 6, tn: 9655, fn: 62 } }, undefined)).toEqual({
      labels: ['0', '1'],
      rows: [
        [9655, 6],
        [62, 277],
      ],
    });
    expect(confusionMatrix({ confusion: [[5, 1], [2, 7]] }, ['ok', 'bad'])?.labels).toEqual(['ok', 'bad']);
    expect(confusionMatrix({}, undefined)).toBeNull();
  });

});
