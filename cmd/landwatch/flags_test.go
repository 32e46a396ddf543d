package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"landwatch/etl"
)

// typedWords are the English words a user types and so may read in a listing: the commands and
// their operations, the values of --scale and --format, and the names of the tools and formats
// the summaries mention (DuckDB, Parquet, …), which have no Chinese name.
var typedWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`landwatch help weekly dossier duties lookback finance parquet cutoff
		transfer outcome list add verify baseline run freeze synth manifest load models tips power serve
		tiny county large json csv table true false
		DuckDB SQL CSV PDF Parquet Argon2id Spark JSON XLSX xlsx GeoJSON TOML Excel GB18030 GBK UTF ASCII CPU SHA IP GB MB SELECT
		go tool pprof office township department leader media discipline`) {
		typedWords[w] = true
	}
	for _, c := range commandList() {
		typedWords[c.name] = true
	}
	for _, k := range etl.Kinds {
		typedWords[string(k)] = true
	}
}

// latinWord is a word in Latin letters (and digits after the first letter: Argon2id).
var latinWord = regexp.MustCompile(`[A-Za-z][A-Za-z0-9]+`)

// codeSpan is a command or SQL quoted in a listing (`landwatch models run`), or what the user
// typed quoted in a message (“many”).
var codeSpan = regexp.MustCompile("`[^`]*`|“[^”]*”")

// assertChinese fails on an English word in out outside flag names, file names, paths, URLs,
// $VARIABLES, quoted commands and typedWords.
func assertChinese(t *testing.T, what, out string) {
	t.Helper()
	for i, line := range strings.Split(out, "\n") {
		rest := codeSpan.ReplaceAllString(line, " ")
		for _, f := range strings.FieldsFunc(rest, func(r rune) bool {
			return r == ' ' || r == '\t' || r == '[' || r == ']' || r == '|' || r == '(' || r == ')' || r > 0x2000
		}) {
			// a path or file, a flag, a variable, a name of a field, model or header (received_on,
			// X-Real-IP)
			if strings.Contains(f, "://") || strings.Contains(f, "/") || strings.Contains(f, ".") ||
				strings.HasPrefix(f, "-") || strings.HasPrefix(f, "$") || strings.Contains(f, "_") || strings.Contains(f, "-") {
				rest = strings.Replace(rest, f, " ", 1)
			}
		}
		for _, w := range latinWord.FindAllString(rest, -1) {
			if !typedWords[w] {
				t.Errorf("%s: line %d has the English word %q: %s", what, i+1, w, line)
				break
			}
		}
	}
}

// TestFlagsChinese runs every command's --help, an unknown flag and a bad value, on the command's
// flags and on those of its operations (report weekly, bench tips, …): each prints Chinese only,
// and exits 0 for --help of a command, 2 for a mistake.
func TestFlagsChinese(t *testing.T) {
	db := t.TempDir() + "/none.duckdb"
	for _, c := range commandList() {
		out, errs, code := lw(t, "--db", db, c.name, "--help")
		if code != 0 {
			t.Errorf("%s --help: exit %d", c.name, code)
		}
		assertChinese(t, c.name+" --help", out+errs)
		out, errs, code = lw(t, "--db", db, c.name, "--no-such-flag")
		if code != 2 || !strings.Contains(errs, "未知选项 -no-such-flag") {
			t.Errorf("%s --no-such-flag: exit %d\n%s", c.name, code, errs)
		}
		assertChinese(t, c.name+" --no-such-flag", out+errs)
	}
	for _, argv := range [][]string{
		{"bench", "load"}, {"bench", "manifest"}, {"bench", "models"}, {"bench", "tips"},
		{"report", "weekly"}, {"report", "dossier"}, {"power", "cutoff"}, {"user", "add"},
		{"models", "run"}, {"models", "freeze"}, {"province", "synth"}, {"audit", "baseline"},
		{"export", "parquet"}, {"template", "inspection"}, {"accountability", "transfer"},
	} {
		name := strings.Join(argv, " ")
		for _, extra := range [][]string{{"--help"}, {"-x"}} {
			out, errs, code := lw(t, append(append([]string{"--db", db}, argv...), extra...)...)
			if extra[0] == "-x" && (code != 2 || !strings.Contains(errs, "未知选项 -x")) {
				t.Errorf("%s -x: exit %d\n%s", name, code, errs)
			}
			if strings.Contains(out+errs, "flag") || strings.Contains(out+errs, "Usage") {
				t.Errorf("%s %s: the flag package's English:\n%s%s", name, extra[0], out, errs)
			}
			assertChinese(t, name+" "+extra[0], out+errs)
		}
	}
	for _, tc := range []struct {
		argv []string
		want string
	}{
		{[]string{"bench", "tips", "--clients", "x"}, "选项 -clients 的值“x”无效：应为整数"},
		{[]string{"gen", "--seed", "x"}, "选项 -seed 的值“x”无效：应为整数"},
		{[]string{"gen", "--seed", "99999999999999999999999"}, "超出范围"},
		{[]string{"province", "synth", "--counties", "many"}, "选项 -counties 的值“many”无效：应为整数"},
		{[]string{"province", "synth", "--readings=maybe"}, "应为 true 或 false"},
		{[]string{"report", "weekly", "--out"}, "选项 -out 需要一个值"},
		{[]string{"-x"}, "未知选项 -x"},
	} {
		out, errs, code := lw(t, append([]string{"--db", db}, tc.argv...)...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, want 2 and %q:\n%s", tc.argv, code, tc.want, errs)
		}
		assertChinese(t, strings.Join(tc.argv, " "), out+errs)
	}
}

// A report that cannot be written says why in Chinese.
func TestWriteOutChinese(t *testing.T) {
	dir := t.TempDir()
	err := writeOut(dir+"/没有的目录/周报.pdf", nil, []byte("%PDF"))
	if err == nil || !strings.Contains(err.Error(), "所在目录不存在") {
		t.Fatalf("missing folder: %v", err)
	}
	assertChinese(t, "writeOut", err.Error())
}

// What the everyday commands print is Chinese: init, user add and list, models run, and opening a
// warehouse that does not exist.
func TestCommandsChinese(t *testing.T) {
	db := t.TempDir() + "/w.duckdb"
	for _, argv := range [][]string{
		{"init"},
		{"user", "add", "--name", "张三", "--role", "office"},
		{"user", "list"},
		{"models", "run", "--as-of", "2023-04-30"},
		{"load", "--received-on", "2023-03-10", "meters", filepath.Join("..", "..", "testdata", "tiny", "meters", "用电户档案.csv")},
	} {
		out, errs, code := lw(t, append([]string{"--db", db}, argv...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s", argv, code, errs)
		}
		if argv[0] == "user" && argv[1] == "add" {
			out, _, _ = strings.Cut(out, "密码") // the password is no word
		}
		assertChinese(t, strings.Join(argv, " "), out+errs)
	}
	_, errs, code := lw(t, "--db", t.TempDir()+"/none.duckdb", "report", "weekly", "--out", t.TempDir()+"/w.pdf")
	if code != 1 || !strings.Contains(errs, "不存在，请先运行 `landwatch init`") {
		t.Errorf("no warehouse: exit %d\n%s", code, errs)
	}
	assertChinese(t, "no warehouse", errs)
	for _, tc := range []struct {
		argv []string
		code int
		want string
	}{
		{[]string{"load", "bogus", "x.csv"}, 2, "未知数据类型“bogus”：应为 meters、power"},
		{[]string{"load", "patrol", "/没有的文件.csv"}, 1, "/没有的文件.csv：文件不存在"},
		{[]string{"gen", "--scale", "huge", "--out", t.TempDir()}, 1, "未知规模“huge”：应为 tiny、county 或 large"},
	} {
		_, errs, code := lw(t, append([]string{"--db", db}, tc.argv...)...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, want %d and %q:\n%s", tc.argv, code, tc.code, tc.want, errs)
		}
		if i := strings.Index(errs, "用法："); i >= 0 {
			errs = errs[:i] // the usage, checked by TestFlagsChinese
		}
		assertChinese(t, strings.Join(tc.argv, " "), errs)
	}
}

// A log line's own fields are named in Chinese.
func TestLogChinese(t *testing.T) {
	var buf strings.Builder
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{ReplaceAttr: chineseLog}))
	log.Warn("逾期检查失败", "乡镇", "沁河镇")
	if got := buf.String(); !strings.Contains(got, " 级别=警告 消息=逾期检查失败 乡镇=沁河镇") || !strings.HasPrefix(got, "时间=") {
		t.Errorf("log line %q", got)
	}
	assertChinese(t, "log", buf.String())
}

// A bad file loaded from the command line, and a bad --received-on or export folder, is refused in
// Chinese: readings in GB18030 with Chinese in a data row, a corrupt workbook, readings with an
// unclosed quote, a received stamp in the future or in another form, a folder given where a file is wanted,
// and an export into a folder that is not empty.
func TestLoadErrorsChinese(t *testing.T) {
	db := initDB(t)
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	gbk := func(s string) []byte {
		b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	readings := write("用电数据.csv", gbk("户号,时间,电量\n1430000001,2024-01-01 06:00:00,51.5\n1430000001,二〇二四年,48.7\n"))
	corrupt := write("案件台账.xlsx", []byte("PK\x03\x04 这不是工作簿"))
	notZip := write("其他线索.xlsx", []byte("纯文本"))
	quoting := write("用电数据-引号.csv", []byte("户号,时间,电量\n1430000001,2024-01-01 06:00:00,51.5\n\"1430000001,2024-01-01 07:00:00,48.7\n"))
	patrol := filepath.Join("..", "..", "testdata", "tiny", "patrol")
	entries, err := os.ReadDir(patrol)
	if err != nil || len(entries) == 0 {
		t.Fatalf("patrol files: %v", err)
	}
	onePatrol := filepath.Join(patrol, entries[0].Name())
	export := filepath.Join(dir, "导出")
	if err := os.MkdirAll(export, 0o700); err != nil {
		t.Fatal(err)
	}
	write("导出/旧文件.txt", []byte("x"))
	for _, tc := range []struct {
		argv []string
		want string
	}{
		{[]string{"load", "power", readings}, "数据行只能有数字、字母和标点"},
		{[]string{"load", "cases", corrupt}, "不是有效的Excel文件"},
		{[]string{"load", "clues", notZip}, "不是有效的Excel文件"},
		{[]string{"load", "power", quoting}, "第3行 户号"},
		{[]string{"load", "--received-on", "2999-01-01", "patrol", onePatrol}, "晚于现在，不能预填"},
		{[]string{"load", "--received-on", "明天", "patrol", onePatrol}, "送达时间“明天”应写作"},
		{[]string{"load", "patrol", dir}, "是一个目录，不是文件"},
		{[]string{"load", "nosuchkind", onePatrol}, "未知数据类型“nosuchkind”"},
		{[]string{"load", "manifest", dir}, "中没有 manifest.json"},
		{[]string{"export", "parquet", "--out", export}, "不是空目录"},
		{[]string{"serve", "--addr", "127.0.0.1:0", "--pow-bits", "40"}, "最多 28 位"},
		// the OS's and DuckDB's errors on a path under a file, in Chinese (internal/oserr)
		{[]string{"export", "parquet", "--out", filepath.Join(readings, "导出")}, "：路径中有一级是文件，不是目录"},
		{[]string{"--db", filepath.Join(readings, "w.duckdb"), "init"}, "打开 " + filepath.Join(readings, "w.duckdb") + "：路径中有一级是文件，不是目录"},
	} {
		out, errs, code := lw(t, append([]string{"--db", db}, tc.argv...)...)
		if code == 0 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, want an error with %q:\n%s%s", tc.argv, code, tc.want, out, errs)
		}
		assertChinese(t, strings.Join(tc.argv, " "), out+errs)
	}
}
