/**
 * The time an invocation has left, carried with the work it starts (AsyncLocalStorage), so
 * clients deep in a resolver can bound their waits without the resolver passing it along.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const budgets = new AsyncLocalStorage<{ readonly answerBy: number }>();

/** Runs `work` with its waits bounded to end by `answerBy` (epoch ms). */
export const withRequestBudget = <T>(answerBy: number, work: () => Promise<T>): Promise<T> =>
  budgets.run({ answerBy }, work);

/** Milliseconds left of the current request's budget; Infinity outside a budgeted request. */
export function requestTimeLeftMs(): number {
  const budget = budgets.getStore();
  return budget ? budget.answerBy - Date.now() : Number.POSITIVE_INFINITY;
}
