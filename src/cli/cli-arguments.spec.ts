import { SCORE_LINE_KEYS } from '../../test/support/score-contract';
import { parseArguments, USAGE } from './cli-arguments';
import { EXIT_USAGE, UsageError } from './cli-error';

function usageErrorOf(argv: string[]): UsageError {
  try {
    parseArguments(argv);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
}

describe('parseArguments', () => {
  it('reads score with and without a model', () => {
    expect(parseArguments(['score'])).toEqual({ command: 'score' });
    expect(parseArguments(['score', '--model', 'model.json'])).toEqual({ command: 'score', modelFile: 'model.json' });
    expect(parseArguments(['score', '--model=other.json'])).toEqual({ command: 'score', modelFile: 'other.json' });
  });

  it('reads train with every option, in any order', () => {
    expect(parseArguments(['train', '--out', 'm.json', '--epochs', '3', '--in=l.csv', '--name', 'retail-v2', '--prior', 'p.json'])).toEqual({
      command: 'train',
      inFile: 'l.csv',
      outFile: 'm.json',
      epochs: 3,
      name: 'retail-v2',
      priorFile: 'p.json',
    });
    expect(parseArguments(['train', '--in', 'l.csv', '--out', 'm.json'])).toEqual({ command: 'train', inFile: 'l.csv', outFile: 'm.json' });
  });

  it('answers help for help, --help and -h anywhere', () => {
    expect(parseArguments(['help'])).toEqual({ command: 'help' });
    expect(parseArguments(['--help'])).toEqual({ command: 'help' });
    expect(parseArguments(['score', '-h'])).toEqual({ command: 'help' });
    expect(parseArguments(['train', '--in', 'x.csv', '--help'])).toEqual({ command: 'help' });
  });

  it.each([
    [[], /no command/],
    [['rank'], /unknown command "rank"/],
    [['score', '--modle', 'm.json'], /unknown option "--modle"/],
    [['score', '--in', 'x.csv'], /unknown option "--in"/],
    [['score', 'posts.jsonl'], /unexpected argument "posts.jsonl"/],
    [['score', '--model'], /--model needs a value/],
    [['score', '--model='], /--model needs a value/],
    [['score', '--model', 'a.json', '--model', 'b.json'], /--model is given twice/],
    [['train', '--out', 'm.json'], /needs --in/],
    [['train', '--in', 'l.csv'], /needs --out/],
    [['train', '--in', '--out', 'm.json'], /--in needs a value/],
    [['train', '--in', 'l.csv', '--out', 'm.json', '--epochs', '0'], /--epochs must be/],
    [['train', '--in', 'l.csv', '--out', 'm.json', '--epochs', '2.5'], /--epochs must be/],
    [['train', '--in', 'l.csv', '--out', 'm.json', '--epochs', 'many'], /--epochs must be/],
    [['train', '--in', 'l.csv', '--out', 'm.json', '--name', '  '], /--name must not be blank/],
    [['help', 'score'], /takes no arguments/],
  ])('refuses %j as a usage error', (argv, message) => {
    const error = usageErrorOf(argv);
    expect(error.message).toMatch(message);
    expect(error.exitCode).toBe(EXIT_USAGE);
  });

  it('documents both commands, every output field and the exit codes', () => {
    for (const text of ['score', 'train', '--model', '--in', '--out', '--epochs', '--name', '--prior', 'Exit codes']) expect(USAGE).toContain(text);
    for (const field of SCORE_LINE_KEYS) {
      expect(USAGE).toContain(`"${field}"`);
    }
  });
});
