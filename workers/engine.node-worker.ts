/** Engine worker (Node worker_threads): the same service as workers/engine.worker.ts on a Node port. */
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { parentPort } from 'node:worker_threads';
import { createEngineService } from '../src/engine/service.ts';
import { timer } from '../src/lib/timer.ts';
import { withResultTransfer } from '../src/rpc/transfer.ts';

if (!parentPort) throw new Error('engine.node-worker.ts must run in a worker thread');
expose(withResultTransfer(createEngineService({ schedule: timer })), nodeEndpoint(parentPort));
