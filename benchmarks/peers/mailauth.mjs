#!/usr/bin/env node
// Peer driver for Node mailauth: DKIM verification and SPF check_host on the harness's corpus,
// keys and zone answered from memory, one thread, timed as every driver of the harness times.
//
//   node mailauth.mjs DIR [--quick]
//
// Reads DIR/corpus.json (written by PeerHarness corpus) and the messages beside it; prints one
// JSON object a line: {"peer", "version", "kind": "dkim"|"spf", "case", "perSecond"}, or
// {"peer", "kind", "case", "error"} when mailauth does not reach the expected result.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { dkimVerify } = require('mailauth/lib/dkim/verify');
const { spf } = require('mailauth/lib/spf');
const version = `${require('mailauth/package.json').version}, Node ${process.version.slice(1)}`;

const [dir, ...rest] = process.argv.slice(2);
if (!dir) {
    console.error('usage: mailauth.mjs DIR [--quick]');
    process.exit(2);
}
const quick = rest.includes('--quick');
const corpus = JSON.parse(readFileSync(join(dir, 'corpus.json'), 'utf8'));

const notFound = name => Object.assign(new Error(`${name} not found`), { code: 'ENOTFOUND' });
const noData = name => Object.assign(new Error(`${name} has no such records`), { code: 'ENODATA' });

// The resolver mailauth takes: (name, rrtype) => Promise of what dns.resolve gives.
const dkimResolver = async (name, rrtype) => {
    const record = corpus.keys[name.replace(/\.$/, '')];
    if (record === undefined) {
        throw notFound(name);
    }
    if (rrtype !== 'TXT') {
        throw noData(name);
    }
    return [[record]];
};
const spfResolver = async (name, rrtype) => {
    const owner = corpus.spfZone[name.replace(/\.$/, '').toLowerCase()];
    if (owner === undefined) {
        throw notFound(name);
    }
    const answers = owner[rrtype] || [];
    if (!answers.length) {
        throw noData(name);
    }
    if (rrtype === 'TXT') {
        return answers.map(text => [text]);
    }
    if (rrtype === 'MX') {
        return answers.map(mx => ({ exchange: mx.exchange.replace(/\.$/, ''), priority: mx.preference }));
    }
    return answers;
};

// Warm up, then the median rate of timed rounds.
const perSecond = async op => {
    const warmUp = quick ? 500 : 2000;
    const round = quick ? 500 : 1000;
    const rounds = quick ? 3 : 5;
    const start = performance.now();
    while (performance.now() - start < warmUp) {
        await op();
    }
    const rates = [];
    for (let r = 0; r < rounds; r++) {
        const t0 = performance.now();
        let n = 0;
        let t;
        do {
            await op();
            n++;
            t = performance.now();
        } while (t - t0 < round);
        rates.push((n * 1000) / (t - t0));
    }
    rates.sort((a, b) => a - b);
    return rates[Math.floor(rates.length / 2)];
};

const report = (kind, name, rate) =>
    console.log(JSON.stringify({ peer: 'Node mailauth', version, kind, case: name, perSecond: Math.round(rate * 10) / 10 }));
const failed = (kind, name, error) => console.log(JSON.stringify({ peer: 'Node mailauth', version, kind, case: name, error }));

for (const m of corpus.messages) {
    const message = readFileSync(join(dir, m.file));
    const once = () => dkimVerify(message, { resolver: dkimResolver });
    const first = await once();
    const result = first.results && first.results[0] && first.results[0].status.result;
    if (result !== 'pass') {
        failed('dkim', m.case, `result ${result}`);
        continue;
    }
    report('dkim', m.case, await perSecond(once));
}

for (const c of corpus.spfClients) {
    const once = () => spf({ sender: c.sender, ip: c.ip, helo: c.helo, mta: 'mx.receiver.example', resolver: spfResolver });
    const result = (await once()).status.result;
    if (result !== c.result) {
        failed('spf', c.case, `result ${result}`);
        continue;
    }
    report('spf', c.case, await perSecond(once));
}
