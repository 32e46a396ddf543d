package pdf

import (
	"database/sql"
	"fmt"
	"time"
)

// Date writes a day as the documents do: 2023-04-30.
func Date(t time.Time) string { return t.Format("2006-01-02") }

// Rate writes a rate as a percentage with one decimal; "—" when there is none.
func Rate(v sql.NullFloat64) string {
	if !v.Valid {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", v.Float64*100)
}
