package portal

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"landwatch/etl"
	"landwatch/queries"
	"landwatch/warehouse"
)

// defaultHooks load files with the ETL (etl.Load, all-or-nothing per file, per-row errors) and run
// the SQL models (queries.Run) on the server's warehouse.
func (s *Server) defaultHooks() Hooks {
	return Hooks{
		Load: func(ctx context.Context, up Upload) (string, []string, error) {
			k, err := etl.ParseKind(up.Kind)
			if err != nil {
				return "", nil, err
			}
			opt := etl.Options{LoadedBy: up.LoadedBy, ReceivedAt: up.ReceivedAt, Now: s.opt.now}
			res, err := etl.Load(ctx, s.db, s.cfg, k, up.Name, up.R, opt)
			if err != nil {
				var fe *etl.FileError
				if errors.As(err, &fe) {
					rows := make([]string, len(fe.Errors))
					for i, e := range fe.Errors {
						rows[i] = e.Error()
					}
					msg := fmt.Sprintf("%s：%d 处错误，整个文件未导入", fe.File, len(fe.Errors))
					if fe.Truncated {
						msg += "（只列出前面的错误）"
					}
					return "", rows, errors.New(msg)
				}
				return "", nil, err
			}
			if res.AlreadyLoaded {
				return fmt.Sprintf("%s 已经导入过（批次 %d），没有重复导入。", res.File, res.BatchID), nil, nil
			}
			msg := fmt.Sprintf("已导入 %s：%d 行（批次 %d）。", res.File, res.Rows, res.BatchID)
			if res.ReceivedBy != "" {
				msg += fmt.Sprintf("送达时间 %s（%s 补录）。", res.ReceivedAt.Format("2006-01-02 15:04"), res.ReceivedBy)
				if err := s.Audit(ctx, up.LoadedBy, "load.received_stamp", fmt.Sprint(res.BatchID), map[string]any{
					"file": res.File, "kind": string(res.Kind), "received_at": res.ReceivedAt.Format("2006-01-02 15:04"),
					"given_by": res.ReceivedBy}); err != nil {
					return "", nil, fmt.Errorf("已导入，但补录送达时间未写入审计日志：%w", err)
				}
			}
			if res.Replaced != 0 {
				msg += fmt.Sprintf("替换了批次 %d。", res.Replaced)
			}
			if len(res.Warnings) > 0 {
				msg += fmt.Sprintf("另有 %d 条提示。", len(res.Warnings))
			}
			return msg, nil, nil
		},
		Models: func(ctx context.Context, asOf time.Time) (string, error) {
			res, err := queries.Run(ctx, s.db, queries.RunOptions{AsOf: asOf})
			if err != nil {
				return "", err
			}
			var names []string
			for _, m := range res.Models {
				if strings.HasPrefix(m.Name, "mart_") {
					names = append(names, m.Name)
				}
			}
			return fmt.Sprintf("截至 %s：已计算 %d 个模型（%s），%d 项数据测试全部通过，用时 %s。", res.AsOf.Format("2006-01-02"),
				len(res.Models), strings.Join(names, "、"), res.Tests, res.Elapsed.Round(time.Millisecond)), nil
		},
	}
}

// checkTownshipFile loads a township's upload into a scratch warehouse first (the same ETL code, so
// the same per-row errors) and refuses it when it holds rows of another township, or ledger updates
// of items that are not on the township's list. Nothing reaches the real warehouse until it passes.
func (s *Server) checkTownshipFile(ctx context.Context, township, kind, name string, data []byte) ([]string, error) {
	k, err := etl.ParseKind(kind)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "landwatch-check-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	scratch, err := warehouse.Open(ctx, filepath.Join(dir, "check.duckdb"), warehouse.Options{Config: s.cfg})
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", name, err)
	}
	defer scratch.Close()
	if _, err := etl.Load(ctx, scratch, s.cfg, k, name, bytes.NewReader(data), etl.Options{LoadedBy: "check"}); err != nil {
		var fe *etl.FileError
		if errors.As(err, &fe) {
			rows := make([]string, len(fe.Errors))
			for i, e := range fe.Errors {
				rows[i] = e.Error()
			}
			return rows, fmt.Errorf("%s：%d 处错误，整个文件未导入", fe.File, len(fe.Errors))
		}
		return nil, err
	}
	var bad []string
	collect := func(q string, args ...any) error {
		rows, err := scratch.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var row int
			var v string
			if err := rows.Scan(&row, &v); err != nil {
				return err
			}
			if len(bad) < 20 {
				bad = append(bad, fmt.Sprintf("%s 第 %d 行：%s", name, row, v))
			}
		}
		return rows.Err()
	}
	switch k {
	case etl.KindInspection:
		err = collect(`SELECT source_row, '乡镇“' || township || '”不是本账号的乡镇' FROM raw_inspections WHERE township <> ? ORDER BY source_row`, township)
	case etl.KindPatrol:
		err = collect(`SELECT source_row, '乡镇“' || township || '”不是本账号的乡镇' FROM raw_patrols WHERE township <> ? ORDER BY source_row`, township)
	case etl.KindRectification:
		allowed := map[string]bool{}
		q := `SELECT problem_id FROM raw_inspections WHERE township = ?`
		if s.tableExists(ctx, "mart_ledger") {
			q += ` UNION SELECT item_id FROM mart_ledger WHERE township = ?`
		}
		rows, qerr := s.db.QueryContext(ctx, q, township, township)
		if qerr != nil {
			return nil, qerr
		}
		for rows.Next() {
			var id string
			rows.Scan(&id)
			allowed[id] = true
		}
		rows.Close()
		r2, qerr := scratch.QueryContext(ctx, `SELECT source_row, item_id FROM raw_rectifications ORDER BY source_row`)
		if qerr != nil {
			return nil, qerr
		}
		for r2.Next() {
			var row int
			var id string
			r2.Scan(&row, &id)
			if !allowed[id] && len(bad) < 20 {
				bad = append(bad, fmt.Sprintf("%s 第 %d 行：问题编号“%s”不在%s的台账中", name, row, id, township))
			}
		}
		r2.Close()
	default:
		return nil, fmt.Errorf("乡镇账号不能上传“%s”类文件", kind)
	}
	if err != nil {
		return nil, err
	}
	if len(bad) > 0 {
		return bad, fmt.Errorf("%s 含有不属于%s的内容，整个文件未导入", name, township)
	}
	return nil, nil
}

func (s *Server) tableExists(ctx context.Context, name string) bool {
	var n int
	s.db.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_name = ?`, name).Scan(&n)
	return n > 0
}
