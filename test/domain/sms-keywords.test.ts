import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HELP_KEYWORDS, OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS, smsKeyword, type SmsKeyword } from '../../src/domain/sms-keywords.js';

test('the keyword sets are exactly the reference §5 lists', () => {
  assert.deepEqual([...OPT_OUT_KEYWORDS].sort(), ['CANCEL', 'END', 'OPTOUT', 'QUIT', 'REVOKE', 'STOP', 'STOPALL', 'UNSUBSCRIBE']);
  assert.deepEqual([...OPT_IN_KEYWORDS].sort(), ['START', 'UNSTOP', 'YES']);
  assert.deepEqual([...HELP_KEYWORDS].sort(), ['HELP', 'INFO']);
});

test('every keyword matches in any case and with surrounding whitespace', () => {
  const sets: Array<[readonly string[], SmsKeyword]> = [[OPT_OUT_KEYWORDS, 'opt_out'], [OPT_IN_KEYWORDS, 'opt_in'], [HELP_KEYWORDS, 'help']];
  for (const [words, expected] of sets) {
    for (const word of words) {
      const lower = word.toLowerCase();
      const title = word[0] + lower.slice(1);
      for (const body of [word, lower, title, `  ${word}  `, `\n${lower}\r\n`, `\t${title}`]) {
        assert.equal(smsKeyword(body), expected, JSON.stringify(body));
      }
    }
  }
});

test('the keyword must be the whole message', () => {
  for (const body of ['STOP please', 'please stop', 'Stop texting me', 'STOP ALL', 'S T O P', 'stopp', 'nonstop', 'yes please', 'Yes I can come at 10', 'help me', 'START now', 'end of the day', 'info?!x', 'STOP.STOP']) {
    assert.equal(smsKeyword(body), null, body);
  }
});

test('ordinary messages and empty bodies are not keywords', () => {
  for (const body of ['', '   ', 'Hi, is my car ready?', 'OK', 'No', 'Thanks', '👍']) assert.equal(smsKeyword(body), null, JSON.stringify(body));
});

test('opt-out keywords also match with trailing punctuation (err towards stopping)', () => {
  for (const body of ['STOP.', 'Stop!', 'stop!!!', 'STOP?', 'Unsubscribe.', 'cancel,', 'QUIT;', 'end:', ' Stop. ', 'OPTOUT!?']) {
    assert.equal(smsKeyword(body), 'opt_out', body);
  }
  for (const body of ['.STOP', '"STOP"', 'STOP :)', 'STOP-', 'STOP 🙏']) assert.equal(smsKeyword(body), null, body);
});

test('opt-in and help keywords must be bare: "Yes." is an everyday reply, not an opt-in', () => {
  for (const body of ['Yes.', 'YES!', 'yes?', 'Start.', 'unstop!', 'Help?', 'HELP!', 'info.']) assert.equal(smsKeyword(body), null, body);
});

test("Twilio's OptOutType wins over the body when present", () => {
  const cases: Array<[string, string, SmsKeyword]> = [
    ['Arrêt', 'STOP', 'opt_out'],
    ['Hi, is my car ready?', 'STOP', 'opt_out'],
    ['STOP', 'START', 'opt_in'],
    ['YES', 'HELP', 'help'],
    ['HELP', 'STOP', 'opt_out'],
    ['anything', 'start', 'opt_in'],
    ['anything', ' help ', 'help'],
  ];
  for (const [body, type, expected] of cases) assert.equal(smsKeyword(body, type), expected, `${body} / ${type}`);
});

test('an absent, blank or unknown OptOutType falls back to the body', () => {
  for (const type of [undefined, null, '', '  ', 'UNKNOWN', 'CONSTRUCTOR', '__proto__', 'toString']) {
    assert.equal(smsKeyword('stop', type), 'opt_out', String(type));
    assert.equal(smsKeyword('Is my car ready?', type), null, String(type));
  }
});
