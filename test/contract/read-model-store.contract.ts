/**
 * What every ReadModelStore does: run against the DynamoDB store (test/int, DynamoDB Local)
 * and the in-memory one (test/unit) with the same assertions.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Destination } from '../../src/domain/destination.js';
import { ExpectedVersionConflictError } from '../../src/errors/index.js';
import type { ReadModelStore } from '../../src/ports/index.js';
import { destination } from '../support/destinations.js';

const byId = (a: Destination, b: Destination): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * `makeStore` is called once for the views (each test uses its own ids) and once more for
 * each test of the recent list, which is one item per store.
 */
export function describeReadModelStoreContract(name: string, makeStore: () => Promise<ReadModelStore>): void {
  describe(`ReadModelStore contract: ${name}`, () => {
    let readModels: ReadModelStore;
    beforeAll(async () => {
      readModels = await makeStore();
    });
    const fresh = (): string => randomUUID();

    describe('destination views', () => {
      it('answers null for an unknown destination, and the view as stored for a known one', async () => {
        const view = destination(fresh(), 1);
        expect(await readModels.getDestination(view.id)).toBeNull();
        expect(await readModels.putDestination(view)).toBe(true);
        expect(await readModels.getDestination(view.id)).toEqual(view);
      });

      it('stores a view only over an older one: an equal or older version is refused and leaves the stored view', async () => {
        const id = fresh();
        const checked = destination(id, 1, { status: 'LOCATION_VALIDATED', country: 'BE', version: 2 });
        expect(await readModels.putDestination(checked)).toBe(true);
        expect(await readModels.putDestination(destination(id, 1))).toBe(false);
        expect(await readModels.putDestination({ ...checked, name: 'same version, other name' })).toBe(false);
        expect(await readModels.getDestination(id)).toEqual(checked);
        const rejected = destination(id, 1, { status: 'LOCATION_REJECTED', version: 3 });
        expect(await readModels.putDestination(rejected)).toBe(true);
        expect(await readModels.getDestination(id)).toEqual(rejected);
      });

      it('reads many views at once, leaving out unknown ids and repeats, however many ids are asked for', async () => {
        const stored = [destination(fresh(), 1), destination(fresh(), 2), destination(fresh(), 3)];
        for (const view of stored) await readModels.putDestination(view);
        // 150 unknown ids around them: more than one BatchGetItem takes.
        const unknown = Array.from({ length: 150 }, fresh);
        const ids = [
          ...unknown.slice(0, 75),
          stored[2]!.id,
          stored[0]!.id,
          stored[0]!.id,
          ...unknown.slice(75),
          stored[1]!.id,
        ];
        const views = (await readModels.getDestinations(ids)).map(({ value }) => value);
        expect(views.sort(byId)).toEqual([...stored].sort(byId));
        expect(await readModels.getDestinations([])).toEqual([]);
        expect(await readModels.getDestinations(unknown.slice(0, 3))).toEqual([]);
      });

      it('keeps what was stored, whatever the caller does to its objects afterwards', async () => {
        const view = destination(fresh(), 4);
        const written = structuredClone(view);
        await readModels.putDestination(view);
        (view as { name: string }).name = 'changed after writing';
        const read = (await readModels.getDestination(view.id))!;
        (read as { name: string }).name = 'changed after reading';
        const [listed] = await readModels.getDestinations([view.id]);
        (listed!.value as { name: string }).name = 'changed after reading many';
        expect(await readModels.getDestination(view.id)).toEqual(written);
      });
    });

    describe('the recent list (one per store)', () => {
      it('is empty at version 0 before one is written', async () => {
        const store = await makeStore();
        expect(await store.getRecent()).toStrictEqual({ value: { version: 0, entries: [] } });
      });

      it('is written only over the version it was folded from; a stale writer gets ExpectedVersionConflictError', async () => {
        const store = await makeStore();
        const first = { version: 1, entries: [destination('a', 1)] };
        await store.putRecent(first, 0);
        expect((await store.getRecent()).value).toStrictEqual(first);
        // A second writer that also started from nothing.
        await expect(store.putRecent({ version: 1, entries: [destination('b', 2)] }, 0)).rejects.toBeInstanceOf(
          ExpectedVersionConflictError,
        );
        const second = { version: 2, entries: [destination('c', 3), destination('a', 1)] };
        await store.putRecent(second, 1);
        // A writer folding from version 1 lost to the one above.
        await expect(store.putRecent({ version: 2, entries: [] }, 1)).rejects.toBeInstanceOf(
          ExpectedVersionConflictError,
        );
        await expect(store.putRecent({ version: 4, entries: [] }, 3)).rejects.toBeInstanceOf(
          ExpectedVersionConflictError,
        );
        expect((await store.getRecent()).value).toStrictEqual(second);
      });

      it('keeps its floor once one is written, and has none before', async () => {
        const store = await makeStore();
        await store.putRecent({ version: 1, entries: [destination('a', 1)], floor: undefined }, 0);
        expect((await store.getRecent()).value).not.toHaveProperty('floor');
        const floored = { version: 2, entries: [destination('b', 2)], floor: `${destination('a', 1).proposedAt}#a` };
        await store.putRecent(floored, 1);
        expect((await store.getRecent()).value).toStrictEqual(floored);
        const read = await store.getRecent();
        (read.value.entries as Destination[]).length = 0;
        expect((await store.getRecent()).value).toStrictEqual(floored);
      });

      it("keeps its writer's trace beside the list, not in it, and only that write's: a write without one leaves none", async () => {
        const store = await makeStore();
        const trace = { traceparent: `00-${'c3'.repeat(16)}-${'d4'.repeat(8)}-01` };
        const first = { version: 1, entries: [destination('a', 1)] };
        await store.putRecent(first, 0, trace);
        expect(await store.getRecent()).toStrictEqual({ value: first, trace });
        const second = { version: 2, entries: [destination('b', 2), destination('a', 1)] };
        await store.putRecent(second, 1);
        expect(await store.getRecent()).toStrictEqual({ value: second });
      });

      it('reads no trace with a view stored outside an append (a rebuild)', async () => {
        const view = destination(randomUUID(), 1);
        await readModels.putDestination(view);
        expect(await readModels.getDestinations([view.id])).toStrictEqual([{ value: view }]);
      });
    });
  });
}
