/** Live-trading worker: deployments (practice, paper, live) run off the page's thread (src/live/browser/service.ts). */
import { expose } from 'comlink';
import { loadEmbeddedBars } from '../src/data/embedded/browser.ts';
import { createLiveService } from '../src/live/browser/service.ts';

expose(createLiveService({ practiceBars: loadEmbeddedBars }));
