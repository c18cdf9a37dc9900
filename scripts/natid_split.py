#!/usr/bin/env python3
"""Presidio national-id cases: recall when the text names the id vs bare values.

    natid_split.py CASES.jsonl OUTPUT.txt   # OUTPUT: logscrub redact output of the same
                                            # filtered input (scorer --workdir output.txt)
    natid_split.py CASES.jsonl --bin PATH   # run `PATH redact` itself

Uses the same leak test as score_external.py (verbatim, or any 8-char run of a
value of >= 12 chars that is not also in the unlabelled rest of the line).
A tp case "names the id" when its text matches the recognizer's NAME regex
below (the id's name, abbreviation or a generic id word in the case's
language); otherwise it is a bare value. Only recognizers for ids logscrub
claims are considered.
"""
import json
import re
import subprocess
import sys

NAMES = {
    'us_ssn': r'\bssn\b|social security',
    'us_itin': r'\bitin\b|\btax ?id\b|taxpayer',
    'uk_nino': r'\bnino\b|national insurance',
    'uk_nhs': r'\bnhs\b',
    'ca_sin': r'\bsin\b|\bnas\b|social insurance|assurance sociale',
    'in_aadhaar': r'aadhaa?r|uidai',
    'in_pan': r'\bpan\b|permanent account',
    'es_nif': r'\bnif\b|\bdni\b',
    'es_nie': r'\bnie\b|identificaci[oó]n de extranjero',
    'it_fiscal_code': r'codice fiscale|\bcf\b|fiscal code',
    'pl_pesel': r'pesel',
    'de_tax_id': r'steuer-?id|\bidnr\b|identifikationsnummer',
    'se_personnummer': r'personnummer|\bpnr\b|personal identity|\bid code\b',
    'fi_personal_identity_code': r'hetu|henkil[oö]tunnus|personal identity|\bid code\b',
    'kr_rrn': r'\brrn\b|주민등록',
    'kr_frn': r'\bfrn\b|외국인등록',
    'tr_national_id': r'kimlik|\btckn\b|\bid\b',
    'sg_fin': r'\bnric\b|\bfin\b',
    'za_id_number': r'\bid\b|identity|id number',
    'au_tfn': r'\btfn\b|tax file',
    'au_abn': r'\babn\b|australian business',
    'au_medicare': r'medicare',
}


def esc(s):
    return s.replace('\n', '\\n').replace('\r', '\\r')


def leaked(value, line, rest):
    if value in line:
        return True
    if len(value) >= 12:
        for i in range(len(value) - 7):
            w = value[i:i + 8]
            if w in line and w not in rest:
                return True
    return False


def main():
    cases_path = sys.argv[1]
    cases = [json.loads(l) for l in open(cases_path)]
    # same filter as the scorer run: --exclude-families 'presidio:(date|url)$'
    cases = [c for c in cases if c['recognizer'] not in ('date', 'url')]
    lines = [esc(c['text']) for c in cases]
    if sys.argv[2] == '--bin':
        out = subprocess.run([sys.argv[3], 'redact'], input='\n'.join(lines) + '\n',
                             capture_output=True, text=True, check=True).stdout.split('\n')[:-1]
    else:
        out = open(sys.argv[2], encoding='utf-8', errors='surrogateescape').read().split('\n')[:-1]
    assert len(out) == len(cases), (len(out), len(cases))
    rows = {}
    for c, inp, o in zip(cases, lines, out):
        r = c['recognizer']
        if r not in NAMES:
            continue
        st = rows.setdefault(r, {'named': [0, 0], 'bare': [0, 0], 'fp': [0, 0], 'leaks': []})
        if c['kind'] == 'fp':
            if c.get('also_tp_in'):
                continue
            st['fp'][0] += 1
            st['fp'][1] += (o != inp)
            continue
        named = re.search(NAMES[r], c['text'], re.I) is not None
        key = 'named' if named else 'bare'
        if not c.get('spans'):
            continue  # count-only tps have no value to check
        vals = [esc(c['text'][a:b]) for a, b in c['spans']]
        rest = inp
        for v in vals:
            rest = rest.replace(v, '\x00')
        for v in vals:
            st[key][0] += 1
            if leaked(v, o, rest):
                st['leaks'].append((key, o))
            else:
                st[key][1] += 1

    def pct(a, b):
        return '-' if a == 0 else '%5.1f%%' % (100.0 * b / a)

    print('%-27s %14s %14s %12s' % ('recognizer', 'named: found', 'bare: found', 'FP changed'))
    tot = {'named': [0, 0], 'bare': [0, 0], 'fp': [0, 0]}
    for r in sorted(rows):
        st = rows[r]
        for k in tot:
            tot[k][0] += st[k][0]
            tot[k][1] += st[k][1]
        print('%-27s %6d/%-3d %5s %6d/%-3d %5s %5d/%-3d %5s' % (
            r, st['named'][1], st['named'][0], pct(*st['named']), st['bare'][1], st['bare'][0],
            pct(*st['bare']), st['fp'][1], st['fp'][0], pct(st['fp'][0], st['fp'][1])))
    print('%-27s %6d/%-3d %5s %6d/%-3d %5s %5d/%-3d %5s' % (
        'TOTAL', tot['named'][1], tot['named'][0], pct(*tot['named']), tot['bare'][1],
        tot['bare'][0], pct(*tot['bare']), tot['fp'][1], tot['fp'][0], pct(tot['fp'][0], tot['fp'][1])))
    if '-v' in sys.argv:
        print('\nnamed-id leaks (output lines):')
        for r in sorted(rows):
            for k, o in rows[r]['leaks']:
                if k == 'named':
                    print('  %-22s %s' % (r, o))


if __name__ == '__main__':
    main()
