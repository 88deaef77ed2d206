// What the models page reads from the registry (GET /api/v1/models, /api/v1/models/show) and
// how it turns a training report into what it draws.
import type { ModelDetail, ModelSummary } from './api';

export type { ModelDetail, ModelSummary };

// The metrics a person reads first, by task: [key, value] in order, numbers only.
export function headline(task: string, cv: Record<string, unknown> | undefined): [string, number][] {
  if (!cv) return [];
  const keys =
    task === 'binary'
      ? ['roc_auc', 'pr_auc', 'f1', 'precision', 'recall', 'threshold']
      : task === 'multiclass'
        ? ['accuracy', 'macro_f1', 'macro_precision', 'macro_recall', 'roc_auc', 'log_loss']
        : ['rmse', 'mae', 'phm08'];
  return keys
    .filter((k) => typeof cv[k] === 'number')
    .map((k) => [k, cv[k] as number] as [string, number]);
}

// Features by importance, largest first (nulls dropped).
export function rankedImportance(importance: Record<string, number | null>): [string, number][] {
  return Object.entries(importance)
    .filter((e): e is [string, number] => typeof e[1] === 'number')
    .sort((a, b) => b[1] - a[1]);
}

// A binary confusion {tp, fp, tn, fn} or a multi-class matrix as rows of the actual class,
// columns of the predicted one, with the class names.
export function confusionMatrix(
  cv: Record<string, unknown> | undefined,
  classes: string[] | undefined,
): { labels: string[]; rows: number[][] } | null {
  const c = cv?.confusion;
  if (!c) return null;
  if (Array.isArray(c)) return { labels: classes ?? c.map((_, i) => String(i)), rows: c as number[][] };
  const b = c as { tp: number; fp: number; tn: number; fn: number };
  // Actual 0 (normal), actual 1 (failure); predicted in the same order.
  return { labels: ['0', '1'], rows: [[b.tn, b.fp], [b.fn, b.tp]] };
}

