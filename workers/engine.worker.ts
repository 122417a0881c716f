/** Engine worker (browser): the backtest service of src/engine/service.ts over Comlink; wiring only. */
import { expose } from 'comlink';
import { createEngineService } from '../src/engine/service.ts';
import { timer } from '../src/lib/timer.ts';
import { withResultTransfer } from '../src/rpc/transfer.ts';

expose(withResultTransfer(createEngineService({ schedule: timer })));
