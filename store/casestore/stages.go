package casestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"landwatch/audit"
	"landwatch/campaign"
	"landwatch/store/accounts"
	"landwatch/warehouse"
)

// caseUnitsSQL is true for a case the unit (given twice) holds: assigned to it by the office, or
// with a stage entered that the unit owns (stg_enforcement__case_stages: the cases file's stage
// dates, the units' stage files and the console's entries).
const caseUnitsSQL = `(list_contains(a.departments, ?) OR EXISTS (SELECT 1 FROM stg_enforcement__case_stages cs WHERE cs.case_id = f.case_id AND cs.unit = ?))`

// ErrForbidden: the user's unit does not own the stage (answered 403).
var ErrForbidden = errors.New("无权填报")

// StageInput is one stage entry from the console: the stage code, its date, for 判决 the prison
// term in months and the fine (罚金, yuan), for 处罚决定 the decision's 文号 and its fine (罚款).
type StageInput struct {
	Stage, On, TermMonths, Fine, DocNo, Note string
}

// StageRow is a stage of a case as of the last models run (mart_case_stages), for the case page.
type StageRow struct {
	Stage, Name, Unit, StartedOn, DoneOn, DueOn string
	Overdue                                     bool
	Days                                        int
}

// StageEntry is one stage entry as known now (every origin), for the case page's history.
type StageEntry struct {
	Stage, Name, Unit, On, Origin, KnownFrom, Note string
}

// CaseStages are the case's stages as of the last run (empty before mart_case_stages was built) and
// every stage entry known now, when u may see the case; nil, nil, nil otherwise.
func (s *Store) CaseStages(ctx context.Context, u *accounts.User, id string) ([]StageRow, []StageEntry, error) {
	r, err := s.Case(ctx, u, id)
	if err != nil || r == nil {
		return nil, nil, err
	}
	return s.StagesOf(ctx, r)
}

// StagesOf is CaseStages for a case that Case has already returned for the user (so that a page
// asks the case views once): its stages as of the last run and every stage entry known now.
func (s *Store) StagesOf(ctx context.Context, r *CaseRow) ([]StageRow, []StageEntry, error) {
	id := r.ID
	var rows []StageRow
	if ok, err := s.built(ctx, "mart_case_stages"); err != nil {
		return nil, nil, err
	} else if ok {
		err := warehouse.EachRow(ctx, s.db, `SELECT stage, stage_name, unit, strftime(started_on, '%Y-%m-%d'), coalesce(strftime(done_on, '%Y-%m-%d'), ''),
			coalesce(strftime(due_on, '%Y-%m-%d'), ''), overdue, days FROM mart_case_stages WHERE case_id = ? ORDER BY sort_order`, []any{id},
			func(rs *sql.Rows) error {
				var x StageRow
				if err := rs.Scan(&x.Stage, &x.Name, &x.Unit, &x.StartedOn, &x.DoneOn, &x.DueOn, &x.Overdue, &x.Days); err != nil {
					return err
				}
				rows = append(rows, x)
				return nil
			})
		if err != nil {
			return nil, nil, fmt.Errorf("stages of case %s: %w", id, err)
		}
	}
	var entries []StageEntry
	err := warehouse.EachRow(ctx, s.db, `SELECT e.stage, e.unit, strftime(e.stage_on, '%Y-%m-%d'), e.origin, strftime(e.known_from, '%Y-%m-%d %H:%M'), coalesce(e.note, '')
		FROM int_case_stages_now e WHERE e.case_id = ? ORDER BY e.known_from, e.stage`, []any{id},
		func(rs *sql.Rows) error {
			var x StageEntry
			if err := rs.Scan(&x.Stage, &x.Unit, &x.On, &x.Origin, &x.KnownFrom, &x.Note); err != nil {
				return err
			}
			if st, ok := s.cfg.StageByCode(x.Stage); ok {
				x.Name = st.Name
			}
			entries = append(entries, x)
			return nil
		})
	if err != nil {
		return nil, nil, fmt.Errorf("stage entries of case %s: %w", id, err)
	}
	return rows, entries, nil
}

// StagesFor are the stages u may enter: those its unit owns ([[stage]] in the configuration).
func (s *Store) StagesFor(u *accounts.User) []campaign.Stage {
	if u.Role != accounts.RoleDepartment {
		return nil
	}
	return s.cfg.StagesOf(u.Scope)
}

// RecordStage appends a stage entry by the unit owning the stage; audited (case.stage). The user
// must be a department account of that unit (ErrForbidden otherwise) and hold the case (ErrNoRef
// otherwise). The date is YYYY-MM-DD, not before the case was found, not after today, and not
// before the date known now of the stage it follows; 刑期 and 罚金 belong to 判决 only.
func (s *Store) RecordStage(ctx context.Context, u *accounts.User, id string, in StageInput) error {
	st, ok := s.cfg.StageByCode(strings.TrimSpace(in.Stage))
	if !ok {
		return fmt.Errorf("%w：没有“%s”这个环节", ErrProgress, in.Stage)
	}
	owner := s.cfg.StageUnit(st.Code)
	if u.Role != accounts.RoleDepartment || u.Scope != owner {
		return fmt.Errorf("%w：环节“%s”由%s填报（%w）", ErrForbidden, st.Name, owner, ErrForbidden)
	}
	r, err := s.Case(ctx, u, id)
	if err != nil {
		return err
	}
	if r == nil {
		return fmt.Errorf("案件 %s 未交办给%s（%w）", id, u.Scope, ErrNoRef)
	}
	var prev string
	if st.After != "" {
		if err := s.db.QueryRowContext(ctx, `SELECT coalesce(strftime(max(stage_on), '%Y-%m-%d'), '') FROM int_case_stages_now
			WHERE case_id = ? AND stage = ? AND counts`, id, st.After).Scan(&prev); err != nil {
			return fmt.Errorf("stage before %s of case %s: %w", st.Code, id, err)
		}
	}
	on, term, fine, probs := checkStage(s.cfg, st, r.FoundOn, prev, &in, warehouse.LocalDay(s.cfg.Location(), s.now()))
	if len(probs) > 0 {
		return fmt.Errorf("%w：%s", ErrProgress, strings.Join(probs, "；"))
	}
	return s.chain.Tx(ctx, func(tx *sql.Tx, au *audit.Tx) error {
		at := warehouse.LocalTimestamp(s.cfg.Location(), au.Now())
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_stage_entries (case_id, stage, unit, stage_on, term_months, fine_yuan, note,
			entered_by, entered_at, doc_no) VALUES (?, ?, ?, ?, ?, CAST(? AS DECIMAL(14,2)), ?, ?, ?, ?)`,
			r.ID, st.Code, owner, on, term, fine, nullStr(in.Note), u.Name, at, nullStr(in.DocNo)); err != nil {
			return fmt.Errorf("case %s stage %s: %w", r.ID, st.Code, err)
		}
		return au.Add(ctx, u.Name, "case.stage", r.ID, map[string]any{"stage": st.Code, "unit": owner, "stage_on": on.Format(time.DateOnly),
			"term_months": in.TermMonths, "fine_yuan": in.Fine, "doc_no": in.DocNo, "note": in.Note, "bound": audit.Bind("case_stage_entries", r.ID, st.Code, at)})
	})
}

// checkStage checks a stage entry (trimming it in place): the day, and the term and fine of a
// judgement. prev is the date of the stage it follows ("" when none is known).
func checkStage(cfg *campaign.Config, st campaign.Stage, foundOn, prev string, in *StageInput, today time.Time) (on time.Time, term, fine any, probs []string) {
	in.On, in.TermMonths, in.Fine, in.Note = strings.TrimSpace(in.On), strings.TrimSpace(in.TermMonths), strings.TrimSpace(strings.ReplaceAll(in.Fine, ",", "")), strings.TrimSpace(in.Note)
	in.DocNo = strings.TrimSpace(in.DocNo)
	on, err := time.Parse(time.DateOnly, in.On)
	switch {
	case in.On == "":
		probs = append(probs, "请填写"+st.Name+"日期")
	case err != nil:
		probs = append(probs, fmt.Sprintf("%s日期“%s”格式应为 年-月-日", st.Name, in.On))
	case on.After(today):
		probs = append(probs, fmt.Sprintf("%s日期 %s 晚于今天", st.Name, in.On))
	case in.On < foundOn:
		probs = append(probs, fmt.Sprintf("%s日期 %s 早于案件发现日期 %s", st.Name, in.On, foundOn))
	case prev != "" && in.On < prev:
		before, _ := cfg.StageByCode(st.After)
		probs = append(probs, fmt.Sprintf("%s日期 %s 早于%s日期 %s", st.Name, in.On, before.Name, prev))
	}
	if st.Code != campaign.StageJudged && in.TermMonths != "" {
		probs = append(probs, "只有“判决”环节可以填写刑期")
	}
	if st.Code != campaign.StageJudged && st.Code != campaign.StagePenalty && in.Fine != "" {
		probs = append(probs, "只有“处罚决定”（罚款）和“判决”（罚金）环节可以填写金额")
	}
	if st.Code != campaign.StagePenalty && in.DocNo != "" {
		probs = append(probs, "只有“处罚决定”环节可以填写决定文号")
	}
	if len([]rune(in.DocNo)) > 100 {
		probs = append(probs, "决定文号最多 100 字")
	}
	if in.TermMonths != "" {
		var n int
		if _, err := fmt.Sscanf(in.TermMonths, "%d", &n); err != nil || fmt.Sprint(n) != in.TermMonths || n < 0 || n > 1200 {
			probs = append(probs, fmt.Sprintf("刑期“%s”应为 0–1200 的整月数", in.TermMonths))
		} else {
			term = n
		}
	}
	if in.Fine != "" {
		if !amountRe.MatchString(in.Fine) {
			probs = append(probs, fmt.Sprintf("罚金“%s”应为不小于 0 的金额（元，最多两位小数）", in.Fine))
		} else {
			fine = in.Fine
		}
	}
	if len([]rune(in.Note)) > 2000 {
		probs = append(probs, "说明最多 2000 字")
	}
	return on, term, fine, probs
}
