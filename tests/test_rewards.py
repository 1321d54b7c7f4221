"""The reward executor under attack, in every language with a toolchain here: each attack scores 0, the batch's
correct items still score 1, and nothing is left running or on disk. Also: the traps of the exit-code rule."""
import json, os
from dataclasses import replace
from pathlib import Path
import pytest
from oorl_nb import rewards
from oorl_nb.data import EXECUTOR_LANGUAGES, LANGUAGES, CompletionProblem, TranslationProblem, load_sample
from oorl_nb.problems import _c_str, fence, load_specs, reference_items
from oorl_nb.rewards import (RewardConfig, extract_code, score, score_batch, score_jsonl, toolchain, FormatError,
                             available_languages, unavailable_reason)
from oorl_nb.sandbox import Limits, UID_BASE, UID_POOL, _procs_of, _state_dir, isolation

PROBLEMS = {p.id: p for p in load_sample("translation_problems.jsonl")}
AVAILABLE = available_languages()
FAST = RewardConfig(run_limits=Limits(wall_seconds=3, cpu_seconds=3),
                    compile_limits=Limits(wall_seconds=30, cpu_seconds=30, memory_mb=4096), workers=2)

# The held-out languages have no translation problems: their digit_sum is a completion problem (MultiPL-E's kind),
# whose prompt imports what the attacks need, and a candidate is the body that continues it.
HELD_OUT_PROBLEMS = {
    "scala": CompletionProblem("digit_sum/scala", "scala", "object Problem {\n    def digitSum(n : Long) : Long = {\n",
                               "    }\n    def main(args: Array[String]) = {\n    assert(digitSum((123l)) == (6l));\n    }\n\n}\n", ["\n    }\n"]),
    "haskell": CompletionProblem("digit_sum/haskell", "haskell",
                                 "import System.IO.Unsafe (unsafePerformIO)\nimport System.Process (callCommand)\nimport System.Exit (exitSuccess)\n\n"
                                 "digitSum :: Int -> Int\ndigitSum n =",
                                 '\nmain :: IO ()\nmain = do\n  if digitSum 123 == 6 then pure () else error "assertion failed"\n  pure ()\n',
                                 ["\n\n", "\n{-", "\ntype", "\ndata", "\nnewtype"]),
}

def problem(lang: str):
    if lang in HELD_OUT_PROBLEMS: return HELD_OUT_PROBLEMS[lang]
    return PROBLEMS[f"digit_sum/{'cpp' if lang == 'python' else 'python'}-{lang}"]

def answer(lang: str, code: str) -> str:
    "A completion holding `code`: fenced for a translation problem, raw (the body itself) for a completion problem."
    return code if lang in HELD_OUT_PROBLEMS else fence(lang, code)

def test_missing_toolchains_are_reported_not_hidden():
    "CI installs every toolchain; a machine without one must say so, and the test names it."
    missing = [l for l in EXECUTOR_LANGUAGES if l not in AVAILABLE]
    if missing: pytest.skip("toolchains absent here: " + "; ".join(unavailable_reason(l) for l in missing))

# --- attacks: a digit_sum candidate whose body misbehaves, per language -------------------------------------

def candidate(lang: str, body: str) -> str:
    "A digit_sum candidate in `lang` that runs `body`, then returns the wrong answer 0."
    ind = "\n".join("    " + l for l in body.splitlines())
    return {
        "python": f"import os, sys\ndef digit_sum(n):\n{ind}\n    return 0\n",
        "cpp": f"#include <cstdlib>\n#include <vector>\nlong long digit_sum(long long n) {{\n{ind}\n    return 0;\n}}\n",
        "java": f"class Solution {{\n  static long digitSum(long n) {{\n{ind}\n    return 0;\n  }}\n}}\n",
        "javascript": f"function digitSum(n) {{\n{ind}\n  return 0;\n}}\n",
        "typescript": f"declare const require: any;\nfunction digitSum(n: number): number {{\n{ind}\n  return 0;\n}}\n",
        "php": f"<?php\nfunction digit_sum($n) {{\n{ind}\n    return 0;\n}}\n",
        "bash": f"digit_sum() {{\n{ind}\n  echo 0\n}}\n",
        "go": "package main\n\n" + ('import (\n\t"os"\n\t"os/exec"\n)\n\n' if "exec." in body else "")
              + f"func digitSum(n int) int {{\n{ind}\n\treturn 0\n}}\n",
        "rust": f"fn digit_sum(n: i64) -> i64 {{\n{ind}\n    0\n}}\n",
        "csharp": f"public static class Solution {{\n  public static long DigitSum(long n) {{\n{ind}\n    return 0;\n  }}\n}}\n",
        "scala": "\n".join("        " + l for l in body.splitlines()) + "\n        0l\n",  # a body: the prompt opened the method
        "haskell": f" ({body}) `seq` 0\n",  # an expression: the prompt ends with `digitSum n =`
    }[lang]

def shell(lang: str, cmd: str) -> str:
    "A statement of `lang` that runs `cmd` with sh, inheriting stdio."
    cs_arg = '-c "' + cmd.replace('"', '\\"') + '"'
    return {
        "python": f"os.system({cmd!r})",
        "cpp": f"std::system({_c_str(cmd)});",
        "java": f'try {{ new ProcessBuilder("sh", "-c", {_c_str(cmd)}).inheritIO().start().waitFor(); }} catch (Exception e) {{ throw new RuntimeException(e); }}',
        "javascript": f'require("child_process").spawnSync("sh", ["-c", {_c_str(cmd)}], {{ stdio: "inherit" }});',
        "typescript": f'require("child_process").spawnSync("sh", ["-c", {_c_str(cmd)}], {{ stdio: "inherit" }});',
        "php": f"passthru({_c_str(cmd).replace('$', chr(92) + '$')});",
        "bash": cmd,
        "go": f'c := exec.Command("sh", "-c", {_c_str(cmd)})\nc.Stdout, c.Stderr = os.Stdout, os.Stderr\nc.Run()',
        "rust": f'let _ = std::process::Command::new("sh").arg("-c").arg({_c_str(cmd)}).status();',
        "csharp": f'var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sh", {_c_str(cs_arg)}) {{ UseShellExecute = false }});\np.WaitForExit();',
        "scala": f'new ProcessBuilder("sh", "-c", {_c_str(cmd)}).inheritIO().start().waitFor()',
        "haskell": f"unsafePerformIO (callCommand {_c_str(cmd)})",
    }[lang]

INFINITE_LOOP = {"python": "while True: pass", "cpp": "volatile long long x = 0; for (;;) x++;",
                 "java": "long x = 0; while (System.nanoTime() > 0) x++;", "javascript": "for (;;) {}",
                 "typescript": "for (;;) {}", "php": "while (true) {}", "bash": "while :; do :; done",
                 "go": "x := 0\nfor {\n\tx++\n}", "rust": "let mut x: u64 = 0; while x < u64::MAX { x = (x + 1) % 1000; }",
                 "csharp": "long x = 0; while (System.DateTime.Now.Ticks > 0) x++;",
                 "scala": "var x = 0L; while (System.nanoTime() > 0) x += 1", "haskell": "let loop k = if k < 0 then k else loop (k + 1) in loop n"}
MEMORY_BOMB = {"python": "v = []\nwhile True: v.append(bytearray(10**7))",
               "cpp": "std::vector<std::vector<char>> v; for (;;) v.emplace_back(10000000, 1);",
               "java": "java.util.List<long[]> v = new java.util.ArrayList<>(); while (v.size() >= 0) v.add(new long[10000000]);",
               "javascript": "const v = []; for (;;) v.push(new Array(1e7).fill(1));",
               "typescript": "const v: number[][] = []; for (;;) v.push(new Array(1e7).fill(1));",
               "php": "$v = []; while (true) $v[] = str_repeat('x', 10000000);",
               "bash": "v=x; while :; do v=$v$v; done",
               "go": "v := [][]byte{}\nfor {\n\tb := make([]byte, 10000000)\n\tfor i := range b {\n\t\tb[i] = 1\n\t}\n\tv = append(v, b)\n}",
               "rust": "let mut v = Vec::new(); loop { v.push(vec![1u8; 10_000_000]); }",
               "csharp": "var v = new System.Collections.Generic.List<byte[]>(); while (v.Count >= 0) { var b = new byte[10000000]; for (int i = 0; i < b.Length; i += 4096) b[i] = 1; v.Add(b); }",
               "scala": "val v = new java.util.ArrayList[Array[Long]](); while (v.size() >= 0) v.add(Array.fill(10000000)(1L))",
               "haskell": "length (foldl (flip (:)) [] [n ..])"}
# JVM compiles are slow (Java runs every attack on the same JVM); TypeScript's programs run on node, which JavaScript's
# attacks already test in full, and each of its compiles takes seconds
SLOW = {"scala": ("infinite loop", "memory bomb", "writes outside its folder"),
        "typescript": ("infinite loop", "memory bomb", "writes outside its folder")}

def config_for(lang: str, config: RewardConfig = FAST) -> RewardConfig:
    "`config`, with room for scalac and the JVM's start (wall time) where the language is slow to build."
    if lang not in SLOW: return config
    return replace(config, compile_limits=Limits(wall_seconds=240, cpu_seconds=60, memory_mb=4096),
                   run_limits=replace(config.run_limits, wall_seconds=30))

def attacks(lang: str) -> dict[str, str]:
    "The attacks, each a candidate body. Those that need the per-sandbox user id to be contained run only where it exists."
    tag = f"oorl_escape_{lang}"
    contained = isolation().switch_user
    every = {
        "infinite loop": INFINITE_LOOP[lang],
        "memory bomb": MEMORY_BOMB[lang],
        **({"fork bomb": shell(lang, "bomb() { bomb | bomb & }; bomb; sleep 1")} if contained else {}),
        "100 MB of output": shell(lang, "head -c 100000000 /dev/zero | tr '\\0' x >&2"),
        "writes outside its folder": shell(lang, f"echo x > /tmp/{tag}; echo x > ../{tag}; echo x > /var/tmp/{tag}; "
                                                 f"mkdir /dev/shm/{tag}; echo x > /root/{tag}; echo x > {os.getcwd()}/{tag}"),
        "children that outlive it": shell(lang, "setsid sleep 300 >/dev/null 2>&1 </dev/null & nohup sleep 301 >/dev/null 2>&1 &"),
        "reads stdin": shell(lang, "cat; read -r line"),
        **({"kills its parent": shell(lang, "read -r _ _ _ pp _ < /proc/$PPID/stat; kill -9 $pp; kill -9 -1")} if contained else {}),
        "invalid UTF-8 output": shell(lang, "printf '\\377\\376 bad bytes\\n'; printf '\\377\\376\\n' >&2"),
    }
    return {k: v for k, v in every.items() if k in SLOW.get(lang, every)}

ENDLESS_COMPILE = ("constexpr long long spin() { long long s = 0; for (int i = 0; i < 200000; i++) for (int j = 0; j < 200000; j++) s += i ^ j; return s; }\n"
                   "constexpr long long never = spin();\nlong long digit_sum(long long n) { return never; }\n")

@pytest.fixture(scope="module")
def attacked():
    "Score every attack in every available language, mixed with correct solutions, in one batch."
    refs = [(p, c) for p, c in reference_items([s for s in load_specs() if s.id == "digit_sum"]) if p.target_lang in AVAILABLE]
    items, names = [], []
    for lang in AVAILABLE:
        for name, body in attacks(lang).items():
            items.append((problem(lang), answer(lang, candidate(lang, body)))); names.append((lang, name))
        ref = refs[len(names) % len(refs)]
        items.append(ref); names.append((ref[0].target_lang, "correct"))
    if "cpp" in AVAILABLE:
        items.append((problem("cpp"), fence("cpp", ENDLESS_COMPILE))); names.append(("cpp", "endless compile"))
    # a loop is stopped by its CPU limit: 2 s leaves the JVMs' start room and burns less than FAST's 3 s in each language
    config = replace(FAST, run_limits=replace(FAST.run_limits, cpu_seconds=2), compile_limits=Limits(wall_seconds=12, cpu_seconds=12, memory_mb=4096))
    before = set(_state_dir().iterdir())  # folders of a killed earlier session are not this batch's
    slow = [i for i, (lang, _) in enumerate(names) if lang in SLOW]
    results = score_batch([x for i, x in enumerate(items) if i not in slow], config)
    slow_results = iter(score_batch([items[i] for i in slow], config_for("scala", config)))
    fast_results = iter(results)
    return names, [next(slow_results) if i in slow else next(fast_results) for i in range(len(items))], before

def test_every_attack_scores_zero_and_correct_items_pass(attacked):
    names, results, _ = attacked
    assert len(names) >= 10
    for (lang, name), r in zip(names, results):
        if name == "correct": assert (r.reward, r.stage) == (1, "ok"), (lang, r)
        else: assert r.reward == 0 and r.stage in ("runtime", "timeout", "test", "compile"), (lang, name, r)
        assert isinstance(r.detail, str) and len(r.detail) <= RewardConfig().detail_chars

def test_attack_stages_are_the_expected_ones(attacked):
    names, results, _ = attacked
    got = {(lang, name): r for (lang, name), r in zip(names, results)}
    for lang in AVAILABLE:
        assert got[(lang, "infinite loop")].stage == "timeout"
        if lang in SLOW: continue
        assert got[(lang, "100 MB of output")].detail == "killed: output over the limit"
        assert got[(lang, "reads stdin")].timings["run"] < 3, "stdin must be empty, not a pipe left open"  # compile time excluded: it grows with load
        assert "bad bytes" in got[(lang, "invalid UTF-8 output")].detail or got[(lang, "invalid UTF-8 output")].stage == "test"
    if "cpp" in AVAILABLE:
        r = got[("cpp", "endless compile")]
        assert r.stage in ("timeout", "compile"), r

def test_nothing_left_running_or_on_disk(attacked):
    if not isolation().switch_user: pytest.skip("needs the per-sandbox user id (root): " + "; ".join(isolation().missing))
    for uid in range(UID_BASE, UID_BASE + UID_POOL): assert _procs_of(uid) == [], f"processes of sandbox uid {uid} survived"
    leftovers = [p for p in set(_state_dir().iterdir()) - attacked[2] if not p.name.endswith(".lock")]
    assert leftovers == [], leftovers
    for lang in AVAILABLE:
        for place in ("/tmp", "/var/tmp", "/dev/shm", "/root", os.getcwd()):
            assert not Path(place, f"oorl_escape_{lang}").exists(), f"{lang}: {place}/oorl_escape_{lang} was written"

def test_a_bash_call_killed_by_its_cpu_limit_is_a_timeout():
    "Each bash call runs in a `$(…)` subshell; its death by SIGXCPU must fail the run as a timeout, not as an empty, wrong answer."
    if "bash" not in AVAILABLE: pytest.skip("no bash")
    r = score(problem("bash"), fence("bash", "digit_sum() { kill -XCPU $BASHPID; }\n"), FAST)
    assert r.stage == "timeout", r

def test_a_bash_function_with_its_own_nonzero_status_is_judged_by_its_output():
    "Only the statuses of resource-limit kills end the run; a function may print the right answer and `return 200`."
    if "bash" not in AVAILABLE: pytest.skip("no bash")
    body = ("digit_sum() {\n  local n=${1#-} s=0\n  while (( n > 0 )); do s=$(( s + n % 10 )); n=$(( n / 10 )); done\n"
            "  echo $s\n  return 200\n}\n")
    assert score(problem("bash"), fence("bash", body), FAST).stage == "ok"

def test_no_network():
    if not isolation().namespaces: pytest.skip("no network namespace here: " + "; ".join(isolation().missing))
    code = "import socket\ndef digit_sum(n):\n    socket.create_connection(('127.0.0.1', 9), timeout=2)\n    return 0\n"
    r = score(problem("python"), fence("python", code), FAST)
    assert r.stage == "runtime" and "unreachable" in r.detail, r

# --- the traps of the exit-code rule ------------------------------------------------------------------------

EARLY_EXIT = {"python": "import sys\ndef digit_sum(n):\n    sys.exit(0)\n",
              "cpp": "#include <cstdlib>\nlong long digit_sum(long long n) { std::exit(0); }\n",
              "java": "class Solution { static long digitSum(long n) { System.exit(0); return 0; } }\n",
              "javascript": "function digitSum(n) { process.exit(0); }\n",
              "typescript": "declare const process: any;\nfunction digitSum(n: number): number { process.exit(0); return 0; }\n",
              "php": "function digit_sum($n) { exit(0); }\n", "bash": "digit_sum() { exit 0; }\n",
              "go": "package main\n\nimport \"os\"\n\nfunc digitSum(n int) int {\n\tos.Exit(0)\n\treturn 0\n}\n",
              "rust": "fn digit_sum(n: i64) -> i64 { std::process::exit(0) }\n",
              "csharp": "public static class Solution { public static long DigitSum(long n) { System.Environment.Exit(0); return 0; } }\n",
              "scala": "        sys.exit(0)\n", "haskell": " unsafePerformIO exitSuccess\n"}

@pytest.mark.parametrize("lang", EXECUTOR_LANGUAGES)
def test_exit_zero_before_the_tests_finish_is_not_a_pass(lang):
    if lang not in AVAILABLE: pytest.skip(unavailable_reason(lang))
    r = score(problem(lang), answer(lang, EARLY_EXIT[lang]), config_for(lang))
    if lang == "bash":  # the tests call functions in $( ), so `exit` leaves only that subshell: a wrong (empty) result
        assert (r.reward, r.stage) == (0, "test"), r
    else: assert (r.reward, r.stage) == (0, "runtime") and "before the tests finished" in r.detail, r

# Native assertions that do not stop a program by default: each must fail the run when it fails.
NATIVE_ASSERTS = {
    "javascript": ("function f(x) { return x + 1; }", "function f(x) { return x + 2; }", "console.assert(f(1) === 2, 'f(1)');"),
    "typescript": ("function f(x: number): number { return x + 1; }", "function f(x: number): number { return x + 2; }",
                   "console.assert(f(1) === 2, 'f(1)');"),
    "java": ("class Solution { static int f(int x) { return x + 1; } }", "class Solution { static int f(int x) { return x + 2; } }",
             "public class Main { public static void main(String[] a) { assert Solution.f(1) == 2 : \"f(1)\"; } }"),
    "php": ("function f($x) { return $x + 1; }", "function f($x) { return $x + 2; }", "assert(f(1) === 2);"),
    "cpp": ("int f(int x) { return x + 1; }", "#define NDEBUG\nint f(int x) { return x + 2; }",
            "int main() { assert(f(1) == 2); return 0; }"),
    "python": ("def f(x):\n    return x + 1", "def f(x):\n    return x + 2", "assert f(1) == 2"),
}

@pytest.mark.parametrize("lang", sorted(NATIVE_ASSERTS))
def test_native_assertions_fail_the_run(lang):
    if lang not in AVAILABLE: pytest.skip(unavailable_reason(lang))
    good, bad, tests = NATIVE_ASSERTS[lang]
    src = "cpp" if lang == "python" else "python"
    prob = TranslationProblem("trap", src, "def f(x): return x + 1", lang, "f", tests)
    assert score(prob, fence(lang, good), FAST).reward == 1
    r = score(prob, fence(lang, bad), FAST)
    assert (r.reward, r.stage) == (0, "test"), r

# --- test programs as public suites write them -------------------------------------------------------------
# HumanEval-X and MultiPL-E ship tests as complete programs in the target language. The executor renames or wraps
# their entry point; it must not change what they mean. Each idiom: a correct incr_list scores 1, the same code
# with a planted bug (+2 for +1) scores 0, and in the compiled languages a candidate that exits 0 first scores 0.

CPP_HUMANEVAL_X = "#include<stdio.h>\n#include<vector>\nusing namespace std;\nvector<int> incr_list(vector<int> l){\n    @EXIT@\n    for (int i=0;i<l.size();i++) l[i]+=@INC@;\n    return l;\n}\n"
CPP_ISSAME = ("#undef NDEBUG\n#include<assert.h>\nbool issame(vector<int> a,vector<int>b){\n    if (a.size()!=b.size()) return false;\n"
              "    for (int i=0;i<a.size();i++) if (a[i]!=b[i]) return false;\n    return true;\n}\n")
JAVA_SOLUTION = ("import java.util.*;\nimport java.lang.*;\n\nclass Solution {\n    public List<Integer> incrList(List<Integer> l) {\n        @EXIT@\n"
                 "        List<Integer> out = new ArrayList<>();\n        for (int x : l) out.add(x + @INC@);\n        return out;\n    }\n}\n")
JS_INCR = "function incrList(l) {\n  return l.map((x) => x + @INC@);\n}\n"
RUST_INCR = "fn incr_list(l: Vec<i32>) -> Vec<i32> {\n    @EXIT@\n    l.into_iter().map(|x| x + @INC@).collect()\n}\n"
CS_PROBLEM = ("using System;\nusing System.Collections.Generic;\nusing System.Linq;\n\nclass Problem {\n    public static List<long> IncrList(List<long> l) {\n"
              "        @EXIT@\n        return l.Select(x => x + @INC@).ToList();\n    }\n}\n")
CS_USING = "using System;\nusing System.Collections.Generic;\nusing System.Diagnostics;\nusing System.Linq;\nusing System.Threading.Tasks;\n"

SUITE_IDIOMS = {  # (language, idiom): (candidate with @INC@ and @EXIT@ holes, tests)
    ("cpp", "int main() without return (HumanEval-X)"): (CPP_HUMANEVAL_X, CPP_ISSAME +
        "int main(){\n    assert (issame(incr_list({}) , {}));\n    assert (issame(incr_list({3, 2, 1}) , {4, 3, 2}));\n"
        "    assert (issame(incr_list({5, 2, 5, 2, 3, 3, 9, 0, 123}) , {6, 3, 6, 3, 4, 4, 10, 1, 124}));\n}\n"),
    ("cpp", "bits/stdc++.h and using namespace std (MultiPL-E)"): (
        "#include<assert.h>\n#include<bits/stdc++.h>\nusing namespace std;\nstd::vector<long> incr_list(std::vector<long> l) {\n    @EXIT@\n"
        "    for (auto& x : l) x += @INC@;\n    return l;\n}\n",
        "int main() {\n    auto candidate = incr_list;\n    assert(candidate((std::vector<long>())) == (std::vector<long>()));\n"
        "    assert(candidate((std::vector<long>({(long)3, (long)2, (long)1}))) == (std::vector<long>({(long)4, (long)3, (long)2})));\n}\n"),
    ("cpp", "int main(int argc, char* argv[])"): (CPP_HUMANEVAL_X, CPP_ISSAME +
        "int main(int argc, char* argv[]) {\n    assert(argc >= 1 && argv[0] != nullptr);\n    assert (issame(incr_list({3, 2, 1}) , {4, 3, 2}));\n}\n"),
    ("java", "public class Main with assert"): (JAVA_SOLUTION,
        "public class Main {\n    public static void main(String[] args) {\n        Solution s = new Solution();\n"
        "        assert s.incrList(new ArrayList<>(Arrays.asList())).equals(Arrays.asList());\n"
        "        assert s.incrList(new ArrayList<>(Arrays.asList(3, 2, 1))).equals(Arrays.asList(4, 3, 2)) : \"incrList\";\n    }\n}\n"),
    ("java", "public class Tests throwing AssertionError"): (JAVA_SOLUTION,
        "public class Tests {\n    public static void main(String[] args) {\n        Solution s = new Solution();\n"
        "        List<Boolean> correct = Arrays.asList(s.incrList(new ArrayList<>(Arrays.asList(3, 2, 1))).equals(Arrays.asList(4, 3, 2)));\n"
        "        if (correct.contains(false)) {\n            throw new AssertionError();\n        }\n    }\n}\n"),
    ("javascript", "console.assert"): (JS_INCR,
        "console.assert(JSON.stringify(incrList([])) === '[]', 'incrList([])');\n"
        "console.assert(JSON.stringify(incrList([3, 2, 1])) === JSON.stringify([4, 3, 2]), 'incrList([3, 2, 1])');\n"),
    ("javascript", "node:assert in test() (MultiPL-E)"): (JS_INCR,
        "const assert = require('node:assert');\n\nfunction test() {\n  let candidate = incrList;\n  assert.deepEqual(candidate([3, 2, 1]),[4, 3, 2]);\n}\n\ntest();\n"),
    ("typescript", "console.assert"): ("function incrList(l: number[]): number[] {\n  return l.map((x) => x + @INC@);\n}\n",
        "console.assert(JSON.stringify(incrList([3, 2, 1])) === JSON.stringify([4, 3, 2]), 'incrList([3, 2, 1])');\n"),
    ("python", "def check(candidate) then check(fn) (HumanEval)"): ("def incr_list(l: list):\n    return [e + @INC@ for e in l]\n",
        "METADATA = {}\n\n\ndef check(candidate):\n    assert candidate([]) == []\n    assert candidate([3, 2, 1]) == [4, 3, 2]\n"
        "    assert candidate([5, 2, 5, 2, 3, 3, 9, 0, 123]) == [6, 3, 6, 3, 4, 4, 10, 1, 124]\n\n\ncheck(incr_list)\n"),
    ("go", "func main() with panic"): (
        "package main\n\nimport \"os\"\n\nfunc incrList(l []int) []int {\n\tif len(os.Args) < 0 {\n\t\treturn nil\n\t}\n\t@EXIT@\n"
        "\tout := make([]int, len(l))\n\tfor i, x := range l {\n\t\tout[i] = x + @INC@\n\t}\n\treturn out\n}\n",
        "package main\n\nimport (\n\t\"fmt\"\n\t\"reflect\"\n)\n\n// func main() { } in a comment is not the entry point\nfunc main() {\n"
        "\tif got := incrList([]int{3, 2, 1}); !reflect.DeepEqual(got, []int{4, 3, 2}) {\n\t\tpanic(fmt.Sprintf(\"incrList([3 2 1]) = %v\", got))\n\t}\n}\n"),
    ("rust", "fn main() with assert_eq!"): (RUST_INCR,
        "fn main() {\n    let candidate = incr_list;\n    assert_eq!(candidate(vec![]), Vec::<i32>::new());\n    assert_eq!(candidate(vec![3, 2, 1]), vec![4, 3, 2]);\n}\n"),
    ("rust", "fn main() -> Result"): (RUST_INCR,
        "fn main() -> Result<(), String> {\n    if incr_list(vec![3, 2, 1]) != vec![4, 3, 2] {\n"
        "        return Err(\"incr_list([3, 2, 1])\".to_string());\n    }\n    Ok(())\n}\n"),
    ("csharp", "public static void Main(string[] args) with Debug.Assert (MultiPL-E)"): (CS_PROBLEM, CS_USING +
        "class Tests {\n    public static void Main(string[] args) {\n"
        "        Debug.Assert(Problem.IncrList(new List<long>(new long[]{3L, 2L, 1L})).SequenceEqual(new List<long>(new long[]{4L, 3L, 2L})));\n    }\n}\n"),
    ("csharp", "private static int Main() in a namespace"): (CS_PROBLEM, CS_USING +
        "namespace Suite {\n    static class Program {\n        static int Main() {\n            var got = Problem.IncrList(new List<long> { 3, 2, 1 });\n"
        "            return got.SequenceEqual(new List<long> { 4, 3, 2 }) ? 0 : 1;\n        }\n    }\n}\n"),
    ("csharp", "static async Task Main()"): (CS_PROBLEM, CS_USING +
        "class Program {\n    static async Task Main() {\n        await Task.Yield();\n"
        "        if (!Problem.IncrList(new List<long> { 3, 2, 1 }).SequenceEqual(new List<long> { 4, 3, 2 })) throw new Exception(\"IncrList\");\n    }\n}\n"),
    ("php", "function test() that throws (MultiPL-E)"): (
        "<?php\nfunction incr_list($l) {\n    return array_map(function ($x) { return $x + @INC@; }, $l);\n}\n",
        "<?php\nfunction candidate(...$args) {\n    return incr_list(...$args);\n}\n\nfunction test(): void {\n"
        "    if (candidate(array()) !== array()) { throw new Exception(\"Test failed!\"); }\n"
        "    if (candidate(array(3, 2, 1)) !== array(4, 3, 2)) { throw new Exception(\"Test failed!\"); }\n}\n\ntest();\n"),
    ("bash", "set -e and [[ ]] in run_test (MultiPL-E)"): (
        "incr_list() {\n    local out=()\n    for x in $1; do out+=($((x + @INC@))); done\n    echo \"${out[*]}\"\n}\n",
        "#!/bin/bash\n# $1 is a space-separated list\ncandidate() {\n    incr_list \"$@\"\n}\n\nset -e\nrun_test() {\n"
        "    [[ $(candidate \"\") = \"\" ]]\n    [[ $(candidate \"3 2 1\") = \"4 3 2\" ]]\n}\n\nrun_test\n"),
}
SUITE_EXIT = {"cpp": "std::exit(0);", "java": "System.exit(0);", "go": "os.Exit(0)", "rust": "std::process::exit(0);",
              "csharp": "Environment.Exit(0);"}

def suite_item(lang: str, idiom: str, variant: str) -> tuple[TranslationProblem, str]:
    "The problem and a completion: variant 'correct', 'bug' (+2 for +1) or 'exit' (exits 0 before returning)."
    template, tests = SUITE_IDIOMS[(lang, idiom)]
    code = template.replace("@INC@", "2" if variant == "bug" else "1").replace("@EXIT@", SUITE_EXIT[lang] if variant == "exit" else "")
    src = "cpp" if lang == "python" else "python"
    return TranslationProblem("incr_list", src, "incr_list(l): each element + 1", lang, "incr_list", tests), fence(lang, code)

@pytest.mark.parametrize("lang,idiom", sorted(SUITE_IDIOMS))
def test_suite_test_programs_score_correct_code_1_and_a_bug_0(lang, idiom):
    if lang not in AVAILABLE: pytest.skip(unavailable_reason(lang))
    good, bug = score_batch([suite_item(lang, idiom, "correct"), suite_item(lang, idiom, "bug")], FAST)
    assert (good.reward, good.stage) == (1, "ok"), good
    assert bug.reward == 0 and bug.stage in ("test", "runtime"), bug

@pytest.mark.parametrize("lang,idiom", sorted(k for k in SUITE_IDIOMS if k[0] in SUITE_EXIT))
def test_exit_zero_before_suite_tests_finish_is_not_a_pass(lang, idiom):
    if lang not in AVAILABLE: pytest.skip(unavailable_reason(lang))
    r = score(*suite_item(lang, idiom, "exit"), FAST)
    assert (r.reward, r.stage) == (0, "runtime") and "before the tests finished" in r.detail, r

def test_cpp_main_without_return_is_not_undefined_behaviour():
    "The renamed main of `int main(){ assert(...); }` gets `return 0;` at its end, not after a `}` in a string or comment."
    tests = 'int main() {\n  // }\n  assert(std::string("}") == "}");\n}\n'
    src = rewards._assemble_cpp("", "", tests, "M")["main.cpp"]
    assert 'int oorl_tests_main() {\n  // }\n  assert(std::string("}") == "}");\n return 0; }' in src, src

# --- format, availability, batches, files -------------------------------------------------------------------

@pytest.mark.parametrize("text,code", [
    ("```python\nx = 1\n```", "x = 1\n"),
    ("Here:\n\n```py\nx = 1\n```\n\nExplanation follows.", "x = 1\n"),
    ("```\nx = 1\n```", "x = 1\n"),
    ("```js\nno()\n```\n```python\nx = 1\n```\n```python\ny = 2\n```", "x = 1\n"),
    ("<think>try ```python\nbad\n```</think>```python\nx = 1\n```", "x = 1\n"),
    ("plan...</think>\n```python\nx = 1\n```", "x = 1\n"),
    ("~~~python\nx = 1\n~~~", "x = 1\n"),
    ("````python\n```\nx = 1\n````", "```\nx = 1\n"),
    # cut off by the length limit before the closing fence: the code up to the end, a partial fence dropped
    ("```python\nx = 1", "x = 1\n"),
    ("Sure:\n```python\ndef f():\n    return 1\n\n", "def f():\n    return 1\n"),
    ("```python\nx = 1\n``", "x = 1\n"),
    ("~~~~python\nx = 1\n~~~", "x = 1\n"),
    ("```js\nno()\n```\n```python\nx = 1\n", "x = 1\n"),
])
def test_extract_accepts(text, code):
    assert extract_code(text, "python") == code

@pytest.mark.parametrize("text,why", [
    ("x = 1", "no fenced"), ("```js\nx\n```", "no python code block"), ("```js\nx = 1", "no python code block"),
    ("```python\n\n``", "empty"),
    ("```\na\n```\n```\nb\n```", "untagged"), ("```python\n   \n```", "empty"), ("<think>```python\nx\n```", "no fenced"),
])
def test_extract_rejects(text, why):
    with pytest.raises(FormatError, match=why): extract_code(text, "python")

def test_a_cut_off_fence_is_scored_as_code():
    "A complete answer whose closing fence the length limit cut off scores 1; one cut off mid-code fails to compile."
    good = "Here is the translation:\n```python\ndef digit_sum(n):\n    return sum(int(d) for d in str(abs(n)))\n"
    assert (r := score(problem("python"), good, FAST)).reward == 1, r
    assert (r := score(problem("python"), good[:-12], FAST)).stage == "compile", r

def test_format_failures_score_zero_without_running():
    r = score(problem("python"), "I would add the digits.", FAST)
    assert (r.reward, r.stage) == (0, "format") and r.seconds < 0.1

def test_a_missing_toolchain_gives_unavailable(monkeypatch):
    spec = rewards.LANGUAGE_SPECS["csharp"]
    monkeypatch.setitem(rewards.LANGUAGE_SPECS, "csharp", replace(spec, programs=("oorl-no-such-compiler",)))
    rewards.toolchain.cache_clear()
    try:
        r = score(problem("csharp"), fence("csharp", "anything"), FAST)
        assert (r.reward, r.stage) == (0, "unavailable") and "oorl-no-such-compiler not found" in r.detail
    finally: rewards.toolchain.cache_clear()

def test_batch_keeps_order_and_survives_a_broken_problem():
    good = [(p, c) for p, c in reference_items([s for s in load_specs() if s.id == "gcd"]) if p.target_lang in AVAILABLE]
    broken = replace(good[0][0], target_lang="cpp", tests="no main here")  # tests without int main(): a data error
    items = [good[0], (broken, fence("cpp", "int x;")), *good[1:], (good[0][0], "no code")]
    res = score_batch(items, FAST)
    assert [r.stage for r in res] == ["ok", "error", *["ok"] * (len(good) - 1), "format"]
    assert "tests have no int main()" in res[1].detail

def test_score_jsonl_keeps_every_row(tmp_path):
    problems = load_sample("translation_problems.jsonl")
    pfile = tmp_path/"p.jsonl"
    pfile.write_text("".join(json.dumps(p.__dict__) + "\n" for p in problems if p.id.startswith("gcd/")))
    rows = ['{"id": "gcd/cpp-python", "completion": "```python\\ndef gcd(a, b):\\n    return a if b == 0 else gcd(b, a % b)\\n```"}',
            '{"id": "gcd/cpp-python", "completion": "```python\\ndef gcd(a, b):\\n    return 1\\n```"}',
            'not json', '{"id": "missing/x", "completion": "```python\\n```"}', '{"id": 5}', '"a string"']
    cfile = tmp_path/"c.jsonl"
    cfile.write_bytes(("\n".join(rows) + "\n").encode() + b"\xff\xfe not UTF-8\n")
    out = score_jsonl(pfile, cfile, tmp_path/"r.jsonl", FAST)
    assert [r["stage"] for r in out] == ["ok", "test", "error", "error", "error", "error", "error"]
    written = [json.loads(l) for l in (tmp_path/"r.jsonl").read_text().splitlines()]
    assert written == out and all({"id", "reward", "stage", "seconds", "detail"} <= set(r) for r in written)
