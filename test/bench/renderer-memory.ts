/**
 * Peak resident memory of Chromium's renderer processes (the page and its dedicated workers live there),
 * sampled from /proc by the Node side of `npm run bench:browser` while a browser bench runs. A bench marks
 * a window with `console.log('[mem] begin ROW')` … `console.log('[mem] end ROW')`; the peak over that
 * window is attached to row ROW as `peakPageMB` (the page's renderer process: page and workers) and
 * `peakMemoryMB` (every renderer summed), each with its figure when the window opened (`startPageMB`,
 * `startMemoryMB`: the renderer's baseline, the dev server's unbundled modules and data loaded before), and `cpuMs`, the CPU
 * time (user + system, all threads: the page and its workers) the renderers spent over the window. On a
 * loaded machine wall time mostly measures the wait for a core; CPU time does not (it still includes the
 * kernel's work of handing out fresh pages, which is real cost: every new column is touched once), and
 * `pageFaults`, the minor page faults the renderers took over the window (each the first touch of a fresh
 * 4 KiB page, by any thread: the page, its workers, V8's compiler and collector threads). Linux only.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';

const PAGE = 1024 * 1024;

function readProc(pid: string, file: string): string | null {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return null; // the process ended between listing and reading
  }
}

/** Renderer processes descending from the browser process whose command line names `profileDir`. */
function rendererPids(profileDir: string): string[] {
  const parent = new Map<string, string>();
  const cmd = new Map<string, string>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = readProc(pid, 'stat');
    const line = readProc(pid, 'cmdline');
    if (stat === null || line === null) continue;
    // stat: "pid (comm) state ppid …"; comm may hold spaces, so split after the last ')'.
    parent.set(pid, stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]!);
    cmd.set(pid, line.replace(/\0/g, ' '));
  }
  const roots = [...cmd].filter(([, c]) => c.includes(profileDir) && !c.includes('--type=')).map(([p]) => p);
  const under = (pid: string): boolean => {
    for (let p: string | undefined = pid, hops = 0; p && p !== '0' && hops < 16; p = parent.get(p), hops++) if (roots.includes(p)) return true;
    return false;
  };
  return [...cmd].filter(([p, c]) => c.includes('--type=renderer') && under(p)).map(([p]) => p);
}

/** The fields of /proc/PID/stat from the third (state) on; comm may hold spaces, so split after the last ')'. */
function statFields(pid: string): string[] | null {
  const s = readProc(pid, 'stat');
  return s ? s.slice(s.lastIndexOf(')') + 2).split(' ') : null;
}

/** utime + stime of a process (all its threads), in ms. */
function cpuMs(pid: string): number {
  const f = statFields(pid);
  return f ? ((Number(f[11]) + Number(f[12])) * 1000) / TICKS : 0;
}

/** Minor page faults of a process so far (all its threads; stat's tenth field). */
function minorFaults(pid: string): number {
  const f = statFields(pid);
  return f ? Number(f[7]) : 0;
}

/** Clock ticks per second of /proc's times (USER_HZ: 100 on Linux). */
const TICKS = 100;

function rssBytes(pid: string): number {
  const s = readProc(pid, 'status');
  const m = s && /VmRSS:\s+(\d+) kB/.exec(s);
  return m ? Number(m[1]) * 1024 : 0;
}

/** Resident memory of one sample: every renderer summed, and the largest one (the bench page's: it holds the workers). */
interface Rss {
  sum: number;
  page: number;
}

export class RendererMemory {
  private timer: ReturnType<typeof setInterval> | null = null;
  private open = new Map<string, Rss>();
  private pids: string[] = [];
  readonly peaks = new Map<string, Rss>();
  readonly starts = new Map<string, Rss>();
  private readonly cpuStart = new Map<string, number>();
  readonly cpu = new Map<string, number>();
  private readonly faultStart = new Map<string, number>();
  readonly faults = new Map<string, number>();

  constructor(private readonly profileDir: string, private readonly everyMs = 20) {}

  /** Feeds one page console line; returns true when it was a memory marker. */
  onConsole(text: string): boolean {
    const m = /^\[mem\] (begin|end) (.+)$/.exec(text);
    if (!m || !existsSync('/proc/self/status')) return !!m;
    if (m[1] === 'begin') {
      // Workers are threads of the renderer, so its processes are listed once per window, not per sample.
      this.pids = rendererPids(this.profileDir);
      const now = this.sample();
      this.starts.set(m[2]!, now);
      this.cpuStart.set(m[2]!, this.cpuNow());
      this.faultStart.set(m[2]!, this.faultsNow());
      this.open.set(m[2]!, { ...now });
      this.timer ??= setInterval(() => this.tick(), this.everyMs);
    } else {
      this.tick();
      const peak = this.open.get(m[2]!);
      if (peak !== undefined) this.peaks.set(m[2]!, peak);
      const c0 = this.cpuStart.get(m[2]!);
      if (c0 !== undefined) this.cpu.set(m[2]!, this.cpuNow() - c0);
      const f0 = this.faultStart.get(m[2]!);
      if (f0 !== undefined) this.faults.set(m[2]!, this.faultsNow() - f0);
      this.open.delete(m[2]!);
      if (this.open.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    }
    return true;
  }

  private cpuNow(): number {
    return this.pids.reduce((s, p) => s + cpuMs(p), 0);
  }

  private faultsNow(): number {
    return this.pids.reduce((s, p) => s + minorFaults(p), 0);
  }

  private sample(): Rss {
    const each = this.pids.map(rssBytes);
    return { sum: each.reduce((s, x) => s + x, 0), page: Math.max(0, ...each) };
  }

  private tick(): void {
    if (this.open.size === 0) return;
    const now = this.sample();
    for (const v of this.open.values()) {
      v.sum = Math.max(v.sum, now.sum);
      v.page = Math.max(v.page, now.page);
    }
  }

  /**
   * For a row whose window was measured, in MB (rounded): `peakPageMB`/`startPageMB`, the page's renderer
   * process (page and workers: the largest renderer); `peakMemoryMB`/`startMemoryMB`, every renderer of the
   * browser summed (also headless's own UI renderer and a spare one; shared library pages counted in each, so
   * this overstates); CPU ms; and the renderers' minor page faults.
   */
  figures(row: string): { peakPageMB: number; startPageMB: number; peakMemoryMB: number; startMemoryMB: number; cpuMs: number; pageFaults: number } | undefined {
    const peak = this.peaks.get(row), start = this.starts.get(row), cpu = this.cpu.get(row), faults = this.faults.get(row);
    const mb = (x: number) => Math.round(x / PAGE);
    return peak === undefined || start === undefined || cpu === undefined || faults === undefined ? undefined
      : { peakPageMB: mb(peak.page), startPageMB: mb(start.page), peakMemoryMB: mb(peak.sum), startMemoryMB: mb(start.sum), cpuMs: Math.round(cpu), pageFaults: faults };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
