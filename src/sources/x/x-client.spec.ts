import { ConnectorError } from '../source-connector';
import { describeXProblem, rewriteToBaseUrl, translateXError, withDeadline } from './x-client';

describe('rewriteToBaseUrl', () => {
  it('points the library’s X URLs at the base URL, keeping path and query string', () => {
    expect(rewriteToBaseUrl('https://api.x.com/2/tweets/search/recent?query=%40HalcyonAir%20-is%3Aretweet&max_results=100', 'http://127.0.0.1:4010')).toBe(
      'http://127.0.0.1:4010/2/tweets/search/recent?query=%40HalcyonAir%20-is%3Aretweet&max_results=100',
    );
    expect(rewriteToBaseUrl('https://api.twitter.com/2/users/:id/mentions', 'http://127.0.0.1:4010/')).toBe('http://127.0.0.1:4010/2/users/:id/mentions');
  });

  it('keeps a path prefix of the base URL', () => {
    expect(rewriteToBaseUrl('https://api.x.com/2/tweets?a=1&b=two%20words', 'https://proxy.example.com/x-api/')).toBe(
      'https://proxy.example.com/x-api/2/tweets?a=1&b=two%20words',
    );
  });

  it('leaves other hosts alone', () => {
    expect(rewriteToBaseUrl('https://upload.x.com/1.1/media/upload.json', 'http://127.0.0.1:4010')).toBe('https://upload.x.com/1.1/media/upload.json');
  });
});

describe('describeXProblem', () => {
  it('joins title, detail, reason and the first error messages', () => {
    expect(
      describeXProblem({
        title: 'Client Forbidden',
        detail: 'This request must be made using an approved developer account.',
        reason: 'client-not-enrolled',
        type: 'https://api.twitter.com/2/problems/client-forbidden',
      }),
    ).toBe('Client Forbidden: This request must be made using an approved developer account.; reason: client-not-enrolled');
    expect(describeXProblem({ title: 'Unauthorized', detail: 'Unauthorized', status: 401 })).toBe('Unauthorized');
    expect(describeXProblem('<html>Bad gateway</html>')).toBe('<html>Bad gateway</html>');
    expect(describeXProblem(undefined)).toBe('no details given');
  });
});

describe('translateXError', () => {
  it('passes ConnectorErrors through and turns anything else into unavailable', () => {
    const original = new ConnectorError('rejected', 'no');
    expect(translateXError(original, 'testing')).toBe(original);
    const translated = translateXError(new TypeError("Cannot read properties of undefined (reading 'id')"), 'testing');
    expect(translated).toMatchObject({ kind: 'unavailable', message: expect.stringContaining('testing') });
  });
});

describe('withDeadline', () => {
  it('fails as unavailable when the work does not settle shortly after the time limit', async () => {
    const started = Date.now();
    const never = new Promise<never>(() => undefined);
    await expect(withDeadline(never, 50, 'waiting')).rejects.toMatchObject({ kind: 'unavailable', message: expect.stringContaining('within 50 ms') });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('returns the result of work that settles in time', async () => {
    await expect(withDeadline(Promise.resolve(7), 50, 'waiting')).resolves.toBe(7);
  });
});
