#!/usr/bin/env node
// DMARC interoperability driver for Node mailauth (RFC 9989: DNS Tree Walk, np, t, psd).
//
//   node mailauth-dmarc.mjs --dns 127.0.0.1:PORT < cases.jsonl > results.jsonl
//   node mailauth-dmarc.mjs --version
//
// Reads one case a line: {"name", "from", "spf": [{"domain", "scope": "mfrom"|"helo", "result"}],
// "dkim": [{"domain", "selector", "result"}]} and writes one result a line, in the same order:
// {"name", "result", "policy", "applied", "policyDomain", "orgDomain", "alignment": {"spf", "dkim"},
// "raw"}, or {"name", "error"} for a case it could not evaluate. Every DNS query goes to the
// server named by --dns and nowhere else. mailauth is loaded from node_modules beside this file
// (npm install in this folder; package.json pins the version).
import { createRequire } from 'node:module';
import { Resolver } from 'node:dns/promises';
import { createInterface } from 'node:readline';

const require = createRequire(import.meta.url);

const usage = 'usage: mailauth-dmarc.mjs --dns HOST:PORT < cases.jsonl | --version';

const args = process.argv.slice(2);
if (args.includes('--version')) {
    const pkg = require('mailauth/package.json');
    console.log(JSON.stringify({ peer: 'mailauth', version: pkg.version, node: process.version }));
    process.exit(0);
}
const dnsAt = args.indexOf('--dns');
const server = dnsAt >= 0 ? args[dnsAt + 1] : undefined;
if (!server || !/^[0-9.]+:[0-9]+$/.test(server)) {
    // never fall back to the system's resolver: the cases are about our zone only
    console.error(usage);
    process.exit(2);
}

const { evaluateDmarc } = require('mailauth/lib/dmarc');
const { domainExists } = require('mailauth/lib/dmarc/get-dmarc-record');

const dns = new Resolver({ timeout: 2000, tries: 2 });
dns.setServers([server]);
// the resolver mailauth takes: (name, rrtype) => Promise of what dns.resolve gives, rejecting
// with err.code ENOTFOUND (NXDOMAIN), ENODATA (no records), or another code (temporary failure)
const resolver = (name, rrtype) => dns.resolve(name, rrtype);

const list = (value, field) => {
    if (value === undefined || value === null) {
        return [];
    }
    if (!Array.isArray(value)) {
        throw new Error(`"${field}" must be a list`);
    }
    return value;
};

// What authenticate() hands evaluateDmarc (lib/mailauth.js): the one SPF domain that passed, which
// is the MAIL FROM domain, or the HELO domain for a null MAIL FROM, and every DKIM d= that passed.
const spfDomainsOf = spf => {
    const mfrom = spf.filter(entry => entry.scope !== 'helo');
    const checked = mfrom.length ? mfrom : spf;
    return checked.filter(entry => entry.result === 'pass').map(entry => entry.domain);
};

// The policy the record asks for before t=y: mailauth reports only the one after it, so this
// takes p, sp or np the way verify.js does, with mailauth's own existence test (RFC 9989 4.10.1).
const requestedPolicy = async (response, authorDomain) => {
    if (!response.testMode) {
        return response.policy;
    }
    if (response.policyDomain === authorDomain) {
        return response.p;
    }
    if (response.np && !(await domainExists(authorDomain, resolver))) {
        return response.np;
    }
    return response.sp || response.p;
};

const evaluate = async testCase => {
    if (typeof testCase.from !== 'string') {
        throw new Error('"from" must be a string');
    }
    const spf = list(testCase.spf, 'spf');
    const dkim = list(testCase.dkim, 'dkim');
    const { response, reason, authorDomains } = await evaluateDmarc({
        headerFrom: testCase.from,
        spfDomains: spfDomainsOf(spf),
        dkimDomains: dkim.filter(entry => entry.result === 'pass').map(entry => ({ domain: entry.domain })),
        resolver
    });
    if (!response) {
        // no single Author Domain (RFC 9989 5.3.1): mailauth gives no result at all
        return { result: 'permerror', policy: null, applied: null, policyDomain: null, orgDomain: null, alignment: null, raw: { reason, authorDomains } };
    }
    const result = response.status.result;
    const evaluated = result === 'pass' || result === 'fail';
    const authorDomain = response.status.header.from.replace(/\.+$/, '');
    const raw = { ...response };
    delete raw.info;
    return {
        result,
        policy: evaluated ? await requestedPolicy(response, authorDomain) : null,
        applied: evaluated ? response.policy : null,
        policyDomain: response.policyDomain ?? null,
        // "domain" is the Organizational Domain, or the author domain when the walk failed
        orgDomain: result === 'temperror' ? null : (response.domain ?? null),
        alignment: evaluated ? { spf: !!response.alignment.spf.result, dkim: !!response.alignment.dkim.result } : null,
        raw
    };
};

const out = line => process.stdout.write(JSON.stringify(line) + '\n');

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (!line.trim()) {
        continue;
    }
    let name = null;
    try {
        const testCase = JSON.parse(line);
        name = testCase.name ?? null;
        out({ name, ...(await evaluate(testCase)) });
    } catch (err) {
        out({ name, error: String(err?.message || err) });
    }
}
