import unittest

from agent_status_updater.dotenv import parse_env


class ParseEnv(unittest.TestCase):
    def test_the_forms_env_files_hold(self):
        text = "\n".join([
            "# a comment",
            "",
            "SUPABASE_URL=http://127.0.0.1:54321",
            "export AGENT_TOKEN=ast_123",
            "  SPACED  =  value with spaces  ",
            'DOUBLE="quoted # not a comment"',
            "SINGLE='literal \\n $HOME'",
            "INLINE=value # a comment",
            'ESCAPES="a\\nb\\t\\"c\\""',
            "EMPTY=",
            "not a variable line",
            "HASH=abc#def",
        ])
        self.assertEqual(parse_env(text), {
            "SUPABASE_URL": "http://127.0.0.1:54321",
            "AGENT_TOKEN": "ast_123",
            "SPACED": "value with spaces",
            "DOUBLE": "quoted # not a comment",
            "SINGLE": "literal \\n $HOME",
            "INLINE": "value",
            "ESCAPES": 'a\nb\t"c"',
            "EMPTY": "",
            "HASH": "abc#def",
        })

    def test_a_double_quoted_value_over_several_lines(self):
        self.assertEqual(parse_env('KEY="line one\nline two"\nNEXT=1'), {"KEY": "line one\nline two", "NEXT": "1"})

    def test_what_npm_start_writes_to_env_local(self):
        text = '# Written by `npm start`\nSUPABASE_URL="http://127.0.0.1:54321"\nAGENT_TOKEN_EXAMPLE_AGENT="ast_abc"\n'
        self.assertEqual(parse_env(text), {"SUPABASE_URL": "http://127.0.0.1:54321", "AGENT_TOKEN_EXAMPLE_AGENT": "ast_abc"})

    def test_the_last_assignment_wins(self):
        self.assertEqual(parse_env("A=1\nA=2"), {"A": "2"})

    def test_windows_line_endings(self):
        self.assertEqual(parse_env("A=1\r\nB='2'\r\n"), {"A": "1", "B": "2"})


if __name__ == "__main__":
    unittest.main()
