"""The README's commands, run as written against a real server, so a README
that lies fails.

Convention for README.md code blocks (the fence's language says what
happens to a block):
  ```sh       commands a reader types: run, in order, each block with
              `bash -e` (every command must succeed), in one simulated
              terminal: what a block exports is set for the blocks after it.
              Run twice, with `aws` being AWS CLI v1 and then v2 (each on a
              fresh server with a fresh data directory, as
              `bash scripts/run.sh` would serve).
  ```python   run with python3 (boto3) in that same environment.
  ```hcl      parsed with HashiCorp's HCL parser (@cdktf/hcl2json); a
              provider "aws" block must set what is needed to reach the
              server offline.
  ```console  commands that are shown, not run: they build, start a
              server, or need Docker.
  ```text, ```json, ```yaml   not commands.
Any other fence (or none) fails the test, so a new command block cannot
slip past it. `localhost:4566` in a run block is rewritten to the test
server's port; nothing else is changed.
"""
import json
import os
import re
import shutil
import subprocess
import tempfile
import textwrap
import unittest

from harness import Server, skip_on_moto
from test_cli import V2_PATH, cli_version, find_v1

HERE = os.path.dirname(os.path.abspath(__file__))
README = os.path.join(HERE, "..", "..", "README.md")
JS_DIR = os.path.join(HERE, "js")  # node_modules holds @cdktf/hcl2json (scripts/test.sh)
RUN, SHOWN = {"sh", "python", "hcl"}, {"console", "text", "json", "yaml"}
# A fence may be indented (a block inside a list item); its body is dedented.
FENCE = re.compile(r"^[ \t]*```(\S*)[^\n]*\n(.*?)^[ \t]*```[ \t]*$", re.MULTILINE | re.DOTALL)
BLOCK_TIMEOUT_S = 180


def readme_blocks():
    with open(README, encoding="utf-8") as f:
        text = f.read()
    return [(m.group(1), textwrap.dedent(m.group(2)), text.count("\n", 0, m.start()) + 1)
            for m in FENCE.finditer(text)]


def parse_env(dump):
    """`env -0` output -> dict."""
    return dict(item.split("=", 1) for item in dump.split("\0") if "=" in item)


class ReadmeBlocks(unittest.TestCase):
    def test_EveryBlock_HasAKnownLanguage(self):
        blocks = readme_blocks()
        self.assertGreater(len(blocks), 3)
        for language, _, line in blocks:
            self.assertIn(language, RUN | SHOWN,
                          f"README.md line {line}: fence '```{language}' is neither run nor "
                          f"declared shown-only (see the top of {os.path.basename(__file__)})")

    def test_ExportLine_SetsRegionForEveryClient(self):
        exports = [body for language, body, _ in readme_blocks()
                   if language == "sh" and "export AWS_" in body]
        self.assertTrue(exports)
        for body in exports:
            for name in ("AWS_DEFAULT_REGION", "AWS_REGION", "AWS_ENDPOINT_URL",
                         "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
                self.assertIn(name + "=", body)

    def test_TerraformBlocks_ParseAndReachTheServerOffline(self):
        blocks = [(body, line) for language, body, line in readme_blocks() if language == "hcl"]
        self.assertTrue(blocks, "the README shows a Terraform provider block")
        script = ("import { parse } from '@cdktf/hcl2json';"
                  "let text = ''; for await (const chunk of process.stdin) text += chunk;"
                  "console.log(JSON.stringify(await parse('README.tf', text)));")
        for body, line in blocks:
            with self.subTest(line=line):
                proc = subprocess.run(["node", "--input-type=module", "-e", script], input=body,
                                      capture_output=True, text=True, cwd=JS_DIR, timeout=60)
                self.assertEqual(proc.returncode, 0, f"line {line}: {proc.stderr[:600]}")
                [aws] = json.loads(proc.stdout)["provider"]["aws"]
                self.assertEqual(aws["endpoints"][0]["secretsmanager"], "http://localhost:4566")
                for flag in ("skip_credentials_validation", "skip_requesting_account_id",
                             "skip_metadata_api_check"):
                    self.assertIs(aws[flag], True, flag)
                for key in ("region", "access_key", "secret_key"):
                    self.assertTrue(aws.get(key), key)

    def test_HandlersFileShown_IsTheExampleOne(self):
        [shown] = [body for language, body, _ in readme_blocks()
                   if language == "json" and "rotate-db-password" in body]
        with open(os.path.join(HERE, "..", "..", "docker", "example", "handlers.json")) as f:
            self.assertEqual(json.loads(shown), json.load(f))


@skip_on_moto("the README describes secretsmanager-local")
class ReadmeCommands(unittest.TestCase):
    """Every sh and python block, in order, with AWS CLI v1 and with v2."""

    def run_readme(self, cli):
        work = tempfile.mkdtemp(prefix="sml-it-readme-")
        self.addCleanup(shutil.rmtree, work, True)
        bin_dir = os.path.join(work, "bin")
        os.mkdir(bin_dir)
        with open(os.path.join(bin_dir, "aws"), "w") as f:
            f.write(f'#!/bin/sh\nexec "{cli}" "$@"\n')
        os.chmod(os.path.join(bin_dir, "aws"), 0o755)
        # A reader's fresh terminal: no AWS settings, no SML_ settings, an empty home.
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("AWS_", "SML_", "PYTHONDONTWRITE"))}
        env.update(HOME=os.path.join(work, "home"), PATH=bin_dir + os.pathsep + env["PATH"],
                   AWS_PAGER="")
        os.mkdir(env["HOME"])

        server = Server(in_memory=False)
        self.addCleanup(server.cleanup)
        server.start()
        ran = 0
        for language, body, line in readme_blocks():
            if language not in ("sh", "python"):
                continue
            body = body.replace("localhost:4566", f"localhost:{server.port}")
            env_file = os.path.join(work, "env")
            if language == "sh":
                command = ["bash", "-e", "-o", "pipefail", "-c",
                           body + f'\nenv -0 > "{env_file}"']
            else:
                command = ["python3", "-c", body]
            proc = subprocess.run(command, capture_output=True, text=True, env=env, cwd=work,
                                  timeout=BLOCK_TIMEOUT_S)
            self.assertEqual(proc.returncode, 0,
                             f"README.md block at line {line} failed with {cli}:\n"
                             f"{proc.stdout[-1500:]}\n{proc.stderr[-1500:]}")
            if language == "sh":
                with open(env_file) as f:
                    env = parse_env(f.read())
            ran += 1
        server.stop()
        self.assertGreater(ran, 2)

    def test_WithAwsCliV1(self):
        v1 = find_v1()
        if v1 is None:
            self.skipTest("AWS CLI v1 not found on PATH")
        self.run_readme(v1)

    def test_WithAwsCliV2(self):
        version = cli_version(V2_PATH)
        if version is None or version[0] != 2:
            self.skipTest(f"AWS CLI v2 not found at {V2_PATH}")
        self.run_readme(V2_PATH)


if __name__ == "__main__":
    unittest.main()
