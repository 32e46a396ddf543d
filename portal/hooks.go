package portal

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"landwatch/etl"
	"landwatch/queries"
)

// defaultHooks load files with the ETL (etl.Load, all-or-nothing per file, per-row errors) and run
// the SQL models (queries.Run) on the server's warehouse.
func (s *Server) defaultHooks() Hooks {
	return Hooks{
		Load: func(ctx context.Context, kind, name string, r io.Reader, loadedBy string) (string, []string, error) {
			k, err := etl.ParseKind(kind)
			if err != nil {
				return "", nil, err
			}
			res, err := etl.Load(ctx, s.db, s.cfg, k, name, r, etl.Options{LoadedBy: loadedBy})
			if err != nil {
				var fe *etl.FileError
				if errors.As(err, &fe) {
					rows := make([]string, len(fe.Errors))
					for i, e := range fe.Errors {
						rows[i] = e.Error()
					}
					msg := fmt.Sprintf("%s：%d 处错误，整个文件未导入 (nothing loaded)", fe.File, len(fe.Errors))
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
