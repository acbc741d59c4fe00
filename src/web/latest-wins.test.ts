import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LatestWins, type Sent } from './latest-wins.js';

function setup() {
  const sent: Sent<string>[] = [];
  const scheduler = new LatestWins<string>((request) => sent.push(request));
  return { sent, scheduler, payloads: () => sent.map((r) => r.payload) };
}

test('one request at a time; a newer committed request replaces the waiting one', () => {
  const { scheduler, payloads } = setup();
  const a = scheduler.commit('a');
  scheduler.commit('b');
  const c = scheduler.commit('c');
  assert.deepEqual(payloads(), ['a'], 'b and c wait while a is computed');
  assert.equal(scheduler.busy, true);
  assert.equal(scheduler.receive(a), false, "a's answer is stale: the strokes changed since");
  assert.deepEqual(payloads(), ['a', 'c'], 'b was never sent: c replaced it');
  assert.equal(scheduler.receive(c), true);
  assert.equal(scheduler.busy, false);
});

test('previews go only to an idle worker and never wait', () => {
  const { scheduler, payloads } = setup();
  const p1 = scheduler.preview('p1');
  assert.equal(typeof p1, 'number');
  assert.equal(scheduler.preview('p2'), null);
  assert.deepEqual(payloads(), ['p1']);
  assert.equal(scheduler.receive(p1!), true, 'a preview of the stroke being painted is shown');
  const p3 = scheduler.preview('p3')!;
  const done = scheduler.commit('stroke done');
  assert.equal(scheduler.receive(p3), false, 'the stroke ended: its preview is stale');
  assert.deepEqual(payloads(), ['p1', 'p3', 'stroke done']);
  assert.equal(scheduler.receive(done), true);
});

test('reset makes answers still coming stale and drops the waiting request', () => {
  const { scheduler, payloads } = setup();
  const a = scheduler.commit('a');
  scheduler.commit('b');
  const current = scheduler.reset();
  assert.equal(scheduler.latestCommitted, current);
  assert.equal(scheduler.receive(a), false);
  assert.deepEqual(payloads(), ['a']);
  assert.equal(scheduler.busy, false);
});
