// `headroom decide --policy FILE [--on-error stop|continue]`
// Reads timestamped observations (JSON lines) on stdin, writes one decision per line.
// A tool people run in loops: the policy parser and the engines are loaded in the handler (see main.ts).
import { createInterface } from 'node:readline';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { PolicyConfig } from '../autoscale/index.ts';

interface DecideArgs {
  policy: string;
  onError: 'stop' | 'continue';
}

/** Loads a YAML or JSON policy file the way scenario files load theirs: errors read `FILE: path: expected …, got …`. */
export async function loadPolicyFile(file: string): Promise<PolicyConfig> {
  // Through the one reader of user files: a FIFO or /dev/zero is refused unread, the size capped.
  const [{ readUserFile }, { parsePolicyText }] = await Promise.all([import('../io/user-file.ts'), import('../scenario/text.ts')]);
  return parsePolicyText(readUserFile(file, 'policy'), file);
}

export const decideCommand: CommandModule<object, DecideArgs> = {
  command: 'decide',
  describe: 'Run an autoscaling policy over JSON-lines observations from stdin',
  builder: (y: Argv<object>) =>
    y
      .option('policy', { type: 'string', demandOption: true, describe: 'policy file (HPA manifest, AWS config or orchestrator config; YAML or JSON)' })
      .option('on-error', { choices: ['stop', 'continue'] as const, default: 'stop' as const, describe: 'on a malformed line: stop, or report it and continue' }) as unknown as Argv<DecideArgs>,
  handler: async (argv: ArgumentsCamelCase<DecideArgs>) => {
    let cfg: PolicyConfig;
    try {
      cfg = await loadPolicyFile(argv.policy);
    } catch (e) {
      process.stderr.write(`${(e as Error).message}\n`);
      process.exitCode = 2;
      return;
    }
    const { runDecideStream } = await import('../autoscale/decide-stream.ts');
    const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
    const res = await runDecideStream(cfg, rl, {
      onError: argv.onError,
      write: (l) => process.stdout.write(l + '\n'),
      writeError: (l) => process.stderr.write(l + '\n'),
    });
    if (res.stopped) {
      rl.close();
      process.stdin.destroy(); // stop reading the rest of the stream
    }
    if (res.failedLines > 0) process.exitCode = 2;
  },
};
