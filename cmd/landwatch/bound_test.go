package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// boundWarehouse is a warehouse written the normal way through the command line, with one of each
// bound record the commands write: a hand-stamped batch (the imagery, received 2023-03-21), a
// cut-off order, a freeze of 2023-04-30, an accountability transfer and its outcome, and an
// account.
func boundWarehouse(t *testing.T) string {
	t.Helper()
	db := initDB(t)
	dir := t.TempDir()
	etlDir := filepath.Join("..", "..", "testdata", "etl")
	checks := filepath.Join(dir, "checks.csv")
	writeFile(t, checks, "户号,预警编号,核查日期,核查结果\n1430000003,1430000003-CLM-20230305,2023-03-08,非法采矿\n")
	for _, l := range [][]string{
		{"2023-03-17", "meters", filepath.Join(etlDir, "用电户档案.csv")},
		{"2023-03-17", "power", filepath.Join(etlDir, "用电数据.csv")},
		{"2023-03-17", "power-checks", checks},
		{"2023-03-21", "imagery", filepath.Join(etlDir, "卫片图斑.geojson")},
	} {
		if out, errs, code := lw(t, "--db", db, "load", "--by", "王主任", "--received-on", l[0], l[1], l[2]); code != 0 {
			t.Fatalf("load %s: %d %s %s", l[1], code, out, errs)
		}
	}
	steps := [][]string{
		{"models", "run", "--as-of", "2023-03-17"},
		{"power", "cutoff", "--received-on", "2023-03-12", "--by", "办公室", "--meter", "1430000003", "--ordered", "2023-03-12"},
		{"models", "run", "--as-of", "2023-04-30"},
		{"models", "freeze", "--as-of", "2023-04-30", "--by", "郭局长"},
		{"accountability", "transfer", "--by", "郭局长", "--item", "WP-2023-001", "--as-of", "2023-04-30", "--on", "2023-05-01", "--recorded-on", "2023-05-01"},
		{"accountability", "outcome", "--by", "纪委", "--item", "WP-2023-001", "--outcome", "诫勉", "--on", "2023-05-05", "--doc", "沁纪〔2023〕12号", "--recorded-on", "2023-05-05"},
		{"user", "add", "--by", "管理员", "--name", "guo1", "--role", "township", "--scope", "郭道镇"},
		{"load", "patrol", filepath.Join(etlDir, "巡查记录.csv")}, // stamped by the clock
	}
	for _, s := range steps {
		if out, errs, code := lw(t, append([]string{"--db", db}, s...)...); code != 0 {
			t.Fatalf("%v: %d %s %s", s, code, out, errs)
		}
	}
	return db
}

// copyWarehouse copies the warehouse with its key and head files, so each tampering starts clean.
func copyWarehouse(t *testing.T, db string) string {
	t.Helper()
	to := filepath.Join(t.TempDir(), "w.duckdb")
	for _, suffix := range []string{"", ".secret", ".audit", ".wal"} {
		in, err := os.Open(db + suffix)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		out, err := os.OpenFile(to+suffix, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(out, in); err != nil {
			t.Fatal(err)
		}
		in.Close()
		if err := out.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return to
}

// tamper runs statements on the warehouse behind the tool's back.
func tamper(t *testing.T, db string, stmts ...string) {
	t.Helper()
	w := openRW(t, db)
	defer w.Close()
	for _, s := range stmts {
		if _, err := w.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// Every bound record written by the commands is checked by `audit verify`: clean, it passes; each
// record edited, deleted or added in the warehouse directly is named, with what changed; then the
// frozen day rewritten (testRefreeze) and the baseline of older rows (testBaseline), each on its
// own copy of the one warehouse built here.
func TestAuditVerifyBoundRecords(t *testing.T) {
	base := boundWarehouse(t)
	if out, errs, code := lw(t, "--db", base, "audit", "verify"); code != 0 || !strings.Contains(out, "链完整") {
		t.Fatalf("clean warehouse: %d %s %s", code, out, errs)
	}
	cases := []struct {
		name  string
		stmts []string
		want  []string
	}{
		{"moved arrival stamp", []string{`UPDATE load_batches SET received_at = TIMESTAMP '2023-05-10 23:59:59' WHERE kind = 'imagery'`},
			[]string{"批次的送达时间被改动", "送达时间现为“2023-05-10 23:59:59”，记录时为“2023-03-21 23:59:59”"}},
		{"moved clock stamp", []string{`UPDATE load_batches SET received_at = TIMESTAMP '2023-03-01 10:00:00' WHERE kind = 'patrol'`},
			[]string{"批次的送达时间被改动", "送达时间现为“2023-03-01 10:00:00”"}},
		{"stamp unmarked as given by hand", []string{`UPDATE load_batches SET received_given_by = NULL WHERE kind = 'imagery'`},
			[]string{"批次的送达时间被改动", "补录人现为“空”，记录时为“王主任”"}},
		{"batch inserted", []string{`INSERT INTO load_batches (batch_id, kind, file_name, sha256, rows, loaded_by, loaded_at, received_at) VALUES (99, 'patrol', 'x.csv', 'x', 1, 'x', now(), TIMESTAMP '2023-03-01 10:00:00')`},
			[]string{"批次的送达时间没有审计记录：批次 99"}},
		{"deleted freeze", []string{`DELETE FROM freezes WHERE as_of = DATE '2023-04-30'`},
			[]string{"锁定被删除：2023-04-30"}},
		{"edited freeze", []string{`UPDATE freezes SET frozen_by = '别人' WHERE as_of = DATE '2023-04-30'`},
			[]string{"锁定被改动：2023-04-30 的锁定人现为“别人”，记录时为“郭局长”"}},
		{"edited outcome", []string{`UPDATE accountability_outcomes SET outcome = '不予问责'`},
			[]string{"问责处理结果被改动", "处理结果现为“不予问责”，记录时为“诫勉”"}},
		{"deleted outcome", []string{`DELETE FROM accountability_outcomes`},
			[]string{"问责处理结果被删除"}},
		{"edited transfer", []string{`UPDATE accountability_transfers SET transferred_on = DATE '2023-04-30'`},
			[]string{"移交纪检监察记录被改动", "移交日期现为“2023-04-30”，记录时为“2023-05-01”"}},
		{"edited cut-off", []string{`UPDATE power_cutoffs SET cutoff_on = DATE '2023-03-01'`},
			[]string{"停电记录被改动：1430000003/ordered/2023-03-12 23:59:59.000000 的日期现为“2023-03-01”，记录时为“2023-03-12”"}},
		{"cut-off inserted", []string{`INSERT INTO power_cutoffs SELECT meter_id, 'done', DATE '2023-03-13', violation, note, entered_by, TIMESTAMP '2023-03-13 10:00:00', NULL FROM power_cutoffs`},
			[]string{"停电记录没有审计记录：1430000003/done/2023-03-13 10:00:00.000000 在审计日志中没有对应的条目"}},
		{"edited role", []string{`UPDATE users SET role = 'office', scope = NULL WHERE username = 'guo1'`},
			[]string{"账号角色被改动：账号 guo1 的角色现为“office”，记录时为“township”，范围现为“空”，记录时为“郭道镇”"}},
		{"account added behind the tool", []string{`INSERT INTO users (username, role, password_hash, created_at) VALUES ('ghost', 'office', 'x', now())`},
			[]string{"账号角色没有审计记录：账号 ghost"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := copyWarehouse(t, base)
			tamper(t, db, c.stmts...)
			out, errs, code := lw(t, "--db", db, "audit", "verify")
			if code != 1 || !strings.Contains(errs, "审计日志被篡改") {
				t.Fatalf("verify passed a %s: %d\n%s\n%s", c.name, code, out, errs)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("%s: %q not named in\n%s", c.name, w, out)
				}
			}
		})
	}
	t.Run("re-freeze", func(t *testing.T) { testRefreeze(t, base) })
	t.Run("baseline", func(t *testing.T) { testBaseline(t, base) })
}

// The frozen day rewritten: a hand-given stamp moved past the day, the day's freeze and snapshot
// deleted, the models run and the day frozen again through the tool. The new snapshot is
// consistent with its own freeze, but verify names the moved stamp and the re-freeze.
func testRefreeze(t *testing.T, base string) {
	db := copyWarehouse(t, base)
	before, _, _ := lw(t, "--db", db, "sql", "--format", "csv", "SELECT sha256 FROM freezes")
	tamper(t, db,
		`UPDATE load_batches SET received_at = TIMESTAMP '2023-05-10 23:59:59' WHERE kind = 'imagery'`,
		`DELETE FROM frozen_scorecards WHERE as_of = DATE '2023-04-30'`,
		`DELETE FROM frozen_violations WHERE as_of = DATE '2023-04-30'`,
		`DELETE FROM frozen_ledger WHERE as_of = DATE '2023-04-30'`,
		`DELETE FROM freezes WHERE as_of = DATE '2023-04-30'`)
	for _, s := range [][]string{{"models", "run", "--as-of", "2023-04-30"}, {"models", "freeze", "--as-of", "2023-04-30", "--by", "某人"}} {
		if out, errs, code := lw(t, append([]string{"--db", db}, s...)...); code != 0 {
			t.Fatalf("%v: %d %s %s", s, code, out, errs)
		}
	}
	after, _, _ := lw(t, "--db", db, "sql", "--format", "csv", "SELECT sha256 FROM freezes")
	if before == after {
		t.Fatalf("the re-freeze did not change the snapshot: %s", after)
	}
	out, errs, code := lw(t, "--db", db, "audit", "verify")
	if code != 1 {
		t.Fatalf("verify passed a rewritten frozen day: %d\n%s\n%s", code, out, errs)
	}
	for _, w := range []string{"批次的送达时间被改动", "送达时间现为“2023-05-10 23:59:59”，记录时为“2023-03-21 23:59:59”", "锁定被重新锁定：2023-04-30"} {
		if !strings.Contains(out, w) {
			t.Errorf("%q not named in\n%s", w, out)
		}
	}
}

// Rows written before binding existed are named as unbound until `audit baseline` binds them,
// once; a row added behind the tool after the baseline stays named.
func testBaseline(t *testing.T, base string) {
	db := copyWarehouse(t, base)
	// an older warehouse: its rows, and a chain whose entries bind nothing (here, a fresh chain)
	tamper(t, db, `DELETE FROM audit_log`, `DELETE FROM audit_head`)
	os.Remove(db + ".audit")
	out, _, code := lw(t, "--db", db, "audit", "verify")
	if code != 1 || !strings.Contains(out, "账号角色没有审计记录：账号 guo1") || !strings.Contains(out, "audit baseline") {
		t.Fatalf("unbound rows not named: %d\n%s", code, out)
	}
	out, errs, code := lw(t, "--db", db, "audit", "baseline", "--by", "管理员")
	if code != 0 || !strings.Contains(out, "已为以下记录建立基线") || !strings.Contains(out, "账号角色") {
		t.Fatalf("baseline: %d %s %s", code, out, errs)
	}
	if out, errs, code := lw(t, "--db", db, "audit", "verify"); code != 0 {
		t.Fatalf("verify after the baseline: %d\n%s\n%s", code, out, errs)
	}
	if out, _, _ := lw(t, "--db", db, "audit", "baseline"); !strings.Contains(out, "都已建立过基线") {
		t.Fatalf("a second baseline: %s", out)
	}
	tamper(t, db, `INSERT INTO users (username, role, password_hash, created_at) VALUES ('ghost', 'office', 'x', now())`)
	if out, _, _ := lw(t, "--db", db, "audit", "baseline"); !strings.Contains(out, "都已建立过基线") {
		t.Fatalf("a second baseline: %s", out)
	}
	out, _, code = lw(t, "--db", db, "audit", "verify")
	if code != 1 || !strings.Contains(out, "账号角色没有审计记录：账号 ghost") {
		t.Fatalf("a row added after the baseline: %d\n%s", code, out)
	}
}
