"""GET /_local/metrics against the real binary, read with a strict parser of
the Prometheus text exposition format 0.0.4: HELP/TYPE lines, the metric
name and label grammar, label value escaping, one family per block, no
duplicate series, and histograms whose cumulative _bucket series end in
le="+Inf" equal to _count, with a _sum. The numbers must follow what the
clients did: requests by operation and status class, secrets per account and
region, rotations and their steps, the scheduler's next event."""
import json
import math
import re
import time
import unittest
import urllib.parse

from harness import DEFAULT_ACCOUNT, Server, skip_on_moto

METRIC_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}


class ExpositionError(AssertionError):
    pass


def parse_float(text):
    if text in ("+Inf", "Inf"):
        return math.inf
    if text == "-Inf":
        return -math.inf
    if text == "NaN":
        return math.nan
    if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", text):
        raise ExpositionError(f"not a float: {text!r}")
    return float(text)


def parse_labels(text, pos, line_no):
    """Parses `{name="value",...}` from text[pos] == '{'; returns (labels, next pos)."""
    labels = {}
    pos += 1
    while True:
        if text[pos:pos + 1] == "}":
            return labels, pos + 1
        m = LABEL_NAME.match(text, pos)
        if not m:
            raise ExpositionError(f"line {line_no}: bad label name at {text[pos:]!r}")
        name = m.group(0)
        if name.startswith("__"):
            raise ExpositionError(f"line {line_no}: reserved label name {name}")
        if name in labels:
            raise ExpositionError(f"line {line_no}: label {name} twice")
        pos = m.end()
        if text[pos:pos + 2] != '="':
            raise ExpositionError(f"line {line_no}: expected =\" after {name}")
        pos += 2
        value = []
        while True:
            if pos >= len(text):
                raise ExpositionError(f"line {line_no}: unterminated label value")
            c = text[pos]
            if c == "\\":
                escaped = text[pos + 1:pos + 2]
                if escaped not in ("\\", '"', "n"):
                    raise ExpositionError(f"line {line_no}: bad escape \\{escaped}")
                value.append("\n" if escaped == "n" else escaped)
                pos += 2
            elif c == '"':
                pos += 1
                break
            elif c == "\n":
                raise ExpositionError(f"line {line_no}: raw newline in a label value")
            else:
                value.append(c)
                pos += 1
        labels[name] = "".join(value)
        if text[pos:pos + 1] == ",":
            pos += 1
        elif text[pos:pos + 1] != "}":
            raise ExpositionError(f"line {line_no}: expected , or }} at {text[pos:]!r}")


def family_of(name, types):
    for suffix in ("_bucket", "_sum", "_count"):
        base = name[: -len(suffix)]
        if name.endswith(suffix) and types.get(base) == "histogram":
            return base
    return name


def parse_exposition(text):
    """Returns {family: {"type", "help", "samples": [(name, labels, value)]}}; raises
    ExpositionError for anything the 0.0.4 format does not allow."""
    if text and not text.endswith("\n"):
        raise ExpositionError("the last line must end with a newline")
    families, types, helps = {}, {}, {}
    seen_series, closed, current = set(), set(), None
    for line_no, line in enumerate(text.split("\n")[:-1], 1):
        if line == "":
            continue
        if line.startswith("#"):
            parts = line.split(" ", 3)
            if len(parts) >= 3 and parts[1] in ("HELP", "TYPE"):
                name = parts[2]
                if not METRIC_NAME.fullmatch(name):
                    raise ExpositionError(f"line {line_no}: bad metric name {name!r}")
                rest = parts[3] if len(parts) == 4 else ""
                if parts[1] == "HELP":
                    if name in helps:
                        raise ExpositionError(f"line {line_no}: second HELP for {name}")
                    if not re.fullmatch(r"(?:[^\\]|\\[\\n])*", rest):
                        raise ExpositionError(f"line {line_no}: bad escape in HELP")
                    helps[name] = rest
                else:
                    if name in types:
                        raise ExpositionError(f"line {line_no}: second TYPE for {name}")
                    if rest not in TYPES:
                        raise ExpositionError(f"line {line_no}: unknown type {rest!r}")
                    if families.get(name, {}).get("samples"):
                        raise ExpositionError(f"line {line_no}: TYPE after samples of {name}")
                    types[name] = rest
                if current is not None and current != name:
                    closed.add(current)
                if name in closed:
                    raise ExpositionError(f"line {line_no}: {name} is split in two blocks")
                current = name
                families.setdefault(name, {"type": None, "help": None, "samples": []})
            continue
        m = METRIC_NAME.match(line)
        if not m:
            raise ExpositionError(f"line {line_no}: bad metric name in {line!r}")
        name, pos = m.group(0), m.end()
        labels = {}
        if line[pos:pos + 1] == "{":
            labels, pos = parse_labels(line, pos, line_no)
        if line[pos:pos + 1] != " ":
            raise ExpositionError(f"line {line_no}: expected a space before the value")
        fields = line[pos + 1:].split(" ")
        if not 1 <= len(fields) <= 2 or "" in fields:
            raise ExpositionError(f"line {line_no}: expected `value [timestamp]`")
        value = parse_float(fields[0])
        if len(fields) == 2 and not re.fullmatch(r"-?\d+", fields[1]):
            raise ExpositionError(f"line {line_no}: bad timestamp")
        family = family_of(name, types)
        if current is not None and current != family:
            closed.add(current)
        if family in closed:
            raise ExpositionError(f"line {line_no}: {family} is split in two blocks")
        current = family
        series = (name, tuple(sorted(labels.items())))
        if series in seen_series:
            raise ExpositionError(f"line {line_no}: duplicate series {series}")
        seen_series.add(series)
        kind = types.get(family, "untyped")
        if kind == "counter" and not value >= 0:
            raise ExpositionError(f"line {line_no}: negative counter")
        if kind == "histogram" and name == family:
            raise ExpositionError(f"line {line_no}: histogram sample without _bucket/_sum/_count")
        if name.endswith("_bucket") and kind == "histogram" and "le" not in labels:
            raise ExpositionError(f"line {line_no}: _bucket without le")
        families.setdefault(family, {"type": None, "help": None, "samples": []})
        families[family]["samples"].append((name, labels, value))
    for name, family in families.items():
        family["type"], family["help"] = types.get(name), helps.get(name)
        if family["type"] == "histogram":
            check_histogram(name, family["samples"])
    return families


def check_histogram(name, samples):
    groups = {}
    for sample_name, labels, value in samples:
        key = tuple(sorted((k, v) for k, v in labels.items() if k != "le"))
        group = groups.setdefault(key, {"buckets": [], "sum": None, "count": None})
        if sample_name == name + "_bucket":
            group["buckets"].append((parse_float(labels["le"]), value))
        elif sample_name == name + "_sum":
            group["sum"] = value
        else:
            group["count"] = value
    for key, group in groups.items():
        buckets = group["buckets"]
        if not buckets or buckets[-1][0] != math.inf:
            raise ExpositionError(f"{name}{key}: the last bucket must be le=\"+Inf\"")
        if [b for b, _ in buckets] != sorted(b for b, _ in buckets):
            raise ExpositionError(f"{name}{key}: buckets out of order")
        counts = [c for _, c in buckets]
        if counts != sorted(counts):
            raise ExpositionError(f"{name}{key}: bucket counts not cumulative")
        if group["count"] is None or group["sum"] is None:
            raise ExpositionError(f"{name}{key}: _sum and _count are required")
        if group["count"] != counts[-1]:
            raise ExpositionError(f"{name}{key}: _count {group['count']} != +Inf {counts[-1]}")


class StrictParserTest(unittest.TestCase):
    """The parser refuses what the format does not allow (so it can fail)."""

    def test_RefusesMalformedExpositions(self):
        bad = [
            "x 1",  # no final newline
            "1x 1\n",
            'x{a="1" 1\n',
            'x{a="\\t"} 1\n',
            'x{a="1",a="2"} 1\n',
            "x 1\nx 2\n",
            "# TYPE x counter\nx -1\n",
            "# TYPE x gauge\n# TYPE x gauge\nx 1\n",
            "# TYPE x histogram\nx_bucket{le=\"1\"} 1\nx_sum 1\nx_count 1\n",
            "# TYPE x histogram\nx_bucket{le=\"+Inf\"} 2\nx_sum 1\nx_count 1\n",
            "# TYPE x histogram\nx_bucket{le=\"1\"} 2\nx_bucket{le=\"+Inf\"} 1\nx_sum 1\nx_count 1\n",
            "# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na{x=\"1\"} 2\n",
            "x one\n",
        ]
        for text in bad:
            with self.subTest(text=text):
                with self.assertRaises(ExpositionError):
                    parse_exposition(text)
        ok = parse_exposition('# HELP x a \\\\ b\n# TYPE x counter\nx{a="q\\"\\n\\\\"} 1.5e3\n')
        self.assertEqual(ok["x"]["samples"], [("x", {"a": 'q"\n\\'}, 1500.0)])


def lambda_password_handler(server, name):
    status, _, body = server.http("PUT", "/_local/rotation-handlers/" + name,
                                  body=json.dumps({"type": "builtin", "name": "password"}),
                                  headers={"X-Sml-Admin-Token": "metrics-token"})
    assert status == 200, body


@skip_on_moto()
class MetricsEndpointTest(unittest.TestCase):
    def setUp(self):
        self.server = Server(extra_args=["--admin-token", "metrics-token"])
        self.server.start()
        self.addCleanup(self.server.cleanup)
        self.addCleanup(self.server.stop)
        self.sm = self.server.client()

    def scrape(self):
        status, headers, body = self.server.http(
            "GET", "/_local/metrics", headers={"Authorization": "Bearer metrics-token"})
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["content-type"], "text/plain; version=0.0.4")
        return parse_exposition(body.decode("utf-8"))

    @staticmethod
    def value(families, family, name=None, **labels):
        for sample_name, sample_labels, value in families[family]["samples"]:
            if sample_name == (name or family) and sample_labels == labels:
                return value
        return 0.0

    def test_EveryFamilyIsTypedAndDocumented(self):
        families = self.scrape()
        expected = {"sml_requests_total": "counter", "sml_request_duration_seconds": "histogram",
                    "sml_secrets": "gauge", "sml_rotations_total": "counter",
                    "sml_rotation_step_duration_seconds": "histogram",
                    "sml_scheduler_next_event_timestamp_seconds": "gauge",
                    "process_resident_memory_bytes": "gauge", "process_start_time_seconds": "gauge"}
        for name, kind in expected.items():
            self.assertEqual(families[name]["type"], kind, name)
            self.assertTrue(families[name]["help"], name)
        self.assertGreater(self.value(families, "process_resident_memory_bytes"), 1_000_000)
        started = self.value(families, "process_start_time_seconds")
        self.assertLess(abs(time.time() - started), 600)

    def test_TheTokenGuardsIt(self):
        status, _, _ = self.server.http("GET", "/_local/metrics")
        self.assertEqual(status, 403)

    def test_RequestsCountByOperationAndStatusClass_WithDurations(self):
        before = self.scrape()
        self.sm.create_secret(Name="m/a", SecretString="metrics-v-1")
        for _ in range(3):
            self.sm.get_secret_value(SecretId="m/a")
        with self.assertRaises(self.sm.exceptions.ResourceNotFoundException):
            self.sm.get_secret_value(SecretId="m/missing")
        after = self.scrape()
        delta = lambda op, status: (self.value(after, "sml_requests_total", operation=op, status=status)
                                    - self.value(before, "sml_requests_total", operation=op, status=status))
        self.assertEqual(delta("GetSecretValue", "2xx"), 3)
        self.assertEqual(delta("GetSecretValue", "4xx"), 1)
        self.assertEqual(delta("CreateSecret", "2xx"), 1)
        self.assertGreaterEqual(delta("admin", "2xx"), 1)  # the first scrape itself
        count = self.value(after, "sml_request_duration_seconds", "sml_request_duration_seconds_count",
                           operation="GetSecretValue")
        self.assertEqual(count, 4)
        total = self.value(after, "sml_request_duration_seconds", "sml_request_duration_seconds_sum",
                           operation="GetSecretValue")
        self.assertGreater(total, 0)
        self.assertLess(total, 5)

    def test_SecretsAreCountedPerAccountAndRegion(self):
        other = self.server.client(access_key="111122223333", region="eu-west-1")
        for i in range(3):
            self.sm.create_secret(Name=f"count/{i}")
        other.create_secret(Name="count/abroad")
        families = self.scrape()
        self.assertEqual(self.value(families, "sml_secrets", account=DEFAULT_ACCOUNT, region="us-east-1"), 3)
        self.assertEqual(self.value(families, "sml_secrets", account="111122223333", region="eu-west-1"), 1)
        self.sm.delete_secret(SecretId="count/0", ForceDeleteWithoutRecovery=True)
        self.sm.delete_secret(SecretId="count/1", RecoveryWindowInDays=7)  # still there, scheduled
        other.delete_secret(SecretId="count/abroad", ForceDeleteWithoutRecovery=True)
        families = self.scrape()
        self.assertEqual(self.value(families, "sml_secrets", account=DEFAULT_ACCOUNT, region="us-east-1"), 2)
        self.assertNotIn({"account": "111122223333", "region": "eu-west-1"},
                         [labels for _, labels, _ in families["sml_secrets"]["samples"]])

    def test_RotationsStepsAndTheSchedulersNextEvent(self):
        families = self.scrape()
        self.assertEqual(families["sml_scheduler_next_event_timestamp_seconds"]["samples"], [])
        lambda_password_handler(self.server, "metrics-rotator")
        self.sm.create_secret(Name="rot", SecretString=json.dumps({"password": "metrics-v-2"}))
        self.sm.rotate_secret(SecretId="rot", RotationLambdaARN="metrics-rotator",
                              RotationRules={"AutomaticallyAfterDays": 10})
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            families = self.scrape()
            if self.value(families, "sml_rotations_total", trigger="manual", outcome="succeeded") == 1:
                break
            time.sleep(0.1)
        self.assertEqual(self.value(families, "sml_rotations_total", trigger="manual", outcome="succeeded"), 1)
        self.assertEqual(self.value(families, "sml_rotations_total", trigger="scheduled", outcome="failed"), 0)
        self.assertEqual(self.value(families, "sml_rotation_step_duration_seconds",
                                    "sml_rotation_step_duration_seconds_count"), 4)
        next_rotation = self.sm.describe_secret(SecretId="rot")["NextRotationDate"].timestamp()
        deadline = time.monotonic() + 5  # the scheduler re-arms after the change
        while time.monotonic() < deadline:
            due = self.value(self.scrape(), "sml_scheduler_next_event_timestamp_seconds")
            if abs(due - next_rotation) < 1:
                break
            time.sleep(0.1)
        self.assertAlmostEqual(due, next_rotation, delta=1)


if __name__ == "__main__":
    unittest.main()
