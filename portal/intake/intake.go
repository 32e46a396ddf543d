// Package intake takes the files staff upload in the portal into the warehouse: it loads them
// through the ETL (all-or-nothing per file, errors per row), checks a township's file on a scratch
// warehouse before anything of it reaches the real one, and runs the SQL models for the office.
// What it reads of the loaded rows it reads through the staging models' own SQL, so it needs no
// models built and knows no loader's tables.
package intake

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"landwatch/audit"
	"landwatch/campaign"
	"landwatch/etl"
	"landwatch/queries"
	"landwatch/warehouse"
)

// File is one file a staff user sends to be loaded.
type File struct {
	Kind, Name string
	R          io.Reader
	LoadedBy   string
	// ReceivedAt is when the file reached the county, given by the office for a file that came on
	// paper or USB; zero means now.
	ReceivedAt time.Time
	// Unit is the member unit handing in its own stage file (etl.Options.Unit); "" for the office.
	Unit string
}

// rowErrors turns the ETL's refusal of a whole file into its rows' messages and one summary.
func rowErrors(err error) ([]string, error) {
	var fe *etl.FileError
	if !errors.As(err, &fe) {
		return nil, err
	}
	rows := make([]string, len(fe.Errors))
	for i, e := range fe.Errors {
		rows[i] = e.Error()
	}
	msg := fmt.Sprintf("%s：%d 处错误，整个文件未导入", fe.File, fe.Count())
	if fe.Truncated {
		msg += fmt.Sprintf("（只列出前 %d 处）", len(fe.Errors))
	}
	return rows, errors.New(msg)
}

// Load loads one file with the ETL and says in Chinese what it did; its arrival stamp (the clock's,
// or one given by hand) is recorded in the audit chain through au, bound to the batch.
func Load(ctx context.Context, db *warehouse.DB, cfg *campaign.Config, au audit.Auditor, now func() time.Time, f File) (string, []string, error) {
	k, err := etl.ParseKind(f.Kind)
	if err != nil {
		return "", nil, err
	}
	res, err := etl.Load(ctx, db, cfg, k, f.Name, f.R, etl.Options{LoadedBy: f.LoadedBy, ReceivedAt: f.ReceivedAt, Now: now, Unit: f.Unit})
	if err != nil {
		rows, err := rowErrors(err)
		return "", rows, err
	}
	if res.AlreadyLoaded {
		return fmt.Sprintf("%s 已经导入过：与批次 %d 内容完全相同（%d 行），没有重复导入。", res.File, res.BatchID, res.Rows), nil, nil
	}
	msg := fmt.Sprintf("已导入 %s：%d 行（批次 %d）。", res.File, res.Rows, res.BatchID)
	if res.ReceivedBy == "" {
		if err := au.Audit(ctx, f.LoadedBy, "load.batch", fmt.Sprint(res.BatchID), map[string]any{
			"file": res.File, "kind": string(res.Kind), "received_at": res.ReceivedAt.Format("2006-01-02 15:04"),
			"bound": audit.Bind("load_batches", fmt.Sprint(res.BatchID))}); err != nil {
			return "", nil, fmt.Errorf("已导入，但送达时间未写入审计日志：%w", err)
		}
	} else {
		msg += fmt.Sprintf("送达时间 %s（补录）。", res.ReceivedAt.Format("2006-01-02 15:04"))
		if err := au.Audit(ctx, f.LoadedBy, "load.received_stamp", fmt.Sprint(res.BatchID), map[string]any{
			"file": res.File, "kind": string(res.Kind), "received_at": res.ReceivedAt.Format("2006-01-02 15:04"),
			"given_by": res.ReceivedBy, "bound": audit.Bind("load_batches", fmt.Sprint(res.BatchID))}); err != nil {
			return "", nil, fmt.Errorf("已导入，但补录送达时间未写入审计日志：%w", err)
		}
	}
	if res.Replaced != 0 {
		msg += fmt.Sprintf("替换了批次 %d。", res.Replaced)
	}
	if len(res.Warnings) > 0 {
		msg += fmt.Sprintf("另有 %d 条提示，见下。", len(res.Warnings))
	}
	return msg, warningLines(res.Warnings), nil
}

// warningLines are a load's warnings as the upload page lists them: at most maxListed, then how
// many more there are.
func warningLines(ws []etl.Warning) []string {
	out := make([]string, 0, min(len(ws), maxListed)+1)
	for i, w := range ws {
		if i == maxListed {
			out = append(out, fmt.Sprintf("……另有 %d 条提示未列出（共 %d 条）", len(ws)-maxListed, len(ws)))
			break
		}
		out = append(out, w.String())
	}
	return out
}

// RunModels builds the SQL models as of asOf and says in Chinese what it did, in the office's
// words: the statistics are up to date as of the day, the tables recomputed and the data checks
// passed (no model names, no timings). It runs while the portal serves pages, so it leaves DuckDB's
// threads to them (queries.RunOptions.Serving).
func RunModels(ctx context.Context, db *warehouse.DB, asOf time.Time) (string, error) {
	res, err := queries.Run(ctx, db, queries.RunOptions{AsOf: asOf, Serving: true})
	if err != nil {
		return "", err
	}
	marts := 0
	for _, m := range res.Models {
		if strings.HasPrefix(m.Name, "mart_") {
			marts++
		}
	}
	return fmt.Sprintf("统计已更新，数据截至 %s：重新计算了 %d 张统计表，%d 项数据检查全部通过。各页面、工作周报和导出现已按该日显示。",
		res.AsOf.Format("2006-01-02"), marts, res.Tests), nil
}

// staging is a WITH clause defining the named staging models, and the models they read, from
// their own SQL: the loaded rows as the models see them, whether or not the models were built.
func staging(names ...string) (string, error) {
	ms, err := queries.Models()
	if err != nil {
		return "", err
	}
	byName := map[string]*queries.Model{}
	for _, m := range ms {
		byName[m.Name] = m
	}
	var parts []string
	done := map[string]bool{}
	var add func(name string) error
	add = func(name string) error {
		if done[name] {
			return nil
		}
		m := byName[name]
		if m == nil {
			return fmt.Errorf("no model %s", name)
		}
		for _, d := range m.Deps {
			if err := add(d); err != nil {
				return err
			}
		}
		done[name] = true
		parts = append(parts, name+" AS (\n"+strings.TrimRight(strings.TrimSpace(m.SQL), ";")+"\n)")
		return nil
	}
	for _, n := range names {
		if err := add(n); err != nil {
			return "", err
		}
	}
	return "WITH " + strings.Join(parts, ",\n") + "\n", nil
}

// maxListed bounds the rows a refusal lists.
const maxListed = 20

// CheckTownshipFile loads a township's upload into a scratch warehouse first (the same ETL code, so
// the same per-row errors) and refuses it when it holds rows of another township, a form whose
// header names another township, or ledger updates of items that are not on the township's list.
// Nothing reaches the real warehouse until it passes.
func CheckTownshipFile(ctx context.Context, db *warehouse.DB, cfg *campaign.Config, township, kind, name string, data []byte) ([]string, error) {
	return checkOnScratch(ctx, cfg, kind, name, data, township, func(k etl.Kind, scratch *warehouse.DB) ([]string, error) {
		switch k {
		case etl.KindInspection:
			return foreignRows(ctx, scratch, name, township, "stg_forms__inspections",
				`SELECT 0, '表头的乡镇“' || township || '”不是本账号的乡镇' FROM stg_etl__batches WHERE township <> ?
				UNION ALL SELECT source_row, '乡镇“' || township || '”不是本账号的乡镇' FROM stg_forms__inspections WHERE township <> ?
				ORDER BY 1`, township, township)
		case etl.KindPatrol:
			return foreignRows(ctx, scratch, name, township, "stg_forms__patrols",
				`SELECT source_row, '乡镇“' || township || '”不是本账号的乡镇' FROM stg_forms__patrols WHERE township <> ? ORDER BY 1`, township)
		case etl.KindRectification:
			return foreignItems(ctx, db, scratch, name, township)
		}
		return nil, fmt.Errorf("乡镇账号不能上传“%s”类文件", kind)
	})
}

// checkOnScratch loads the file into a scratch warehouse (the same ETL code, so the same per-row
// errors), then lists with foreign what in it does not belong to the account's owner; any of it
// refuses the whole file.
func checkOnScratch(ctx context.Context, cfg *campaign.Config, kind, name string, data []byte, owner string,
	foreign func(etl.Kind, *warehouse.DB) ([]string, error)) ([]string, error) {
	k, err := etl.ParseKind(kind)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "landwatch-check-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	scratch, err := warehouse.Open(ctx, filepath.Join(dir, "check.duckdb"), warehouse.Options{Config: cfg})
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", name, err)
	}
	defer scratch.Close()
	if _, err := etl.Load(ctx, scratch, cfg, k, name, bytes.NewBuffer(data), etl.Options{LoadedBy: "check"}); err != nil {
		return rowErrors(err)
	}
	bad, err := foreign(k, scratch)
	if err != nil {
		return nil, err
	}
	if len(bad) > 0 {
		return bad, fmt.Errorf("%s 含有不属于%s的内容，整个文件未导入", name, owner)
	}
	return nil, nil
}

// foreignRows runs q (over the staging model and the batches) for (row, message) pairs and lists
// them as the file's rows; row 0 is the form's header.
func foreignRows(ctx context.Context, scratch *warehouse.DB, name, township, model, q string, args ...any) ([]string, error) {
	with, err := staging("stg_etl__batches", model)
	if err != nil {
		return nil, err
	}
	var bad []string
	err = warehouse.EachRow(ctx, scratch, with+q, args, func(rows *sql.Rows) error {
		var row int
		var v string
		if err := rows.Scan(&row, &v); err != nil {
			return err
		}
		switch {
		case len(bad) >= maxListed:
		case row == 0:
			bad = append(bad, fmt.Sprintf("%s 表头：%s", name, v))
		default:
			bad = append(bad, fmt.Sprintf("%s 第 %d 行：%s", name, row, v))
		}
		return nil
	})
	return bad, err
}

// foreignItems lists the ledger updates of the scratch file whose item is not on the township's
// list: its problems in the real warehouse, or its items of the ledger the models last built.
func foreignItems(ctx context.Context, db, scratch *warehouse.DB, name, township string) ([]string, error) {
	with, err := staging("stg_forms__inspections")
	if err != nil {
		return nil, err
	}
	q, args := with+`SELECT problem_id FROM stg_forms__inspections WHERE township = ?`, []any{township}
	if tableExists(ctx, db, "mart_ledger") {
		q += ` UNION SELECT item_id FROM mart_ledger WHERE township = ?`
		args = append(args, township)
	}
	allowed := map[string]bool{}
	err = warehouse.EachRow(ctx, db, q, args, func(rows *sql.Rows) error {
		var id string
		err := rows.Scan(&id)
		allowed[id] = true
		return err
	})
	if err != nil {
		return nil, err
	}
	if with, err = staging("stg_forms__rectifications"); err != nil {
		return nil, err
	}
	var bad []string
	err = warehouse.EachRow(ctx, scratch, with+`SELECT source_row, item_id FROM stg_forms__rectifications ORDER BY source_row`, nil,
		func(rows *sql.Rows) error {
			var row int
			var id string
			if err := rows.Scan(&row, &id); err != nil {
				return err
			}
			if !allowed[id] && len(bad) < maxListed {
				bad = append(bad, fmt.Sprintf("%s 第 %d 行：问题编号“%s”不在%s的台账中", name, row, id, township))
			}
			return nil
		})
	return bad, err
}

func tableExists(ctx context.Context, db *warehouse.DB, name string) bool {
	var n int
	db.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_name = ?`, name).Scan(&n)
	return n > 0
}
