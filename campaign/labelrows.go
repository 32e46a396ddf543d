package campaign

import "sort"

// LabelRow is one row of dim_labels: the Chinese word for a code of a column, and its place in the
// column's lists (0 where the column has no order).
type LabelRow struct {
	Column, Code, Label string
	Order               int
}

// LabelRows is the label table the SQL models join (dim_labels, stg_config__labels): every column of
// the table Label reads (the input kinds in the registry's order), and the configuration's own words —
// its categories (column category) and stages (column stage, before the built-in words) in its order.
func (c *Config) LabelRows() []LabelRow {
	var out []LabelRow
	cols := make([]string, 0, len(labels))
	for col := range labels {
		cols = append(cols, col)
	}
	sort.Strings(cols)
	order := map[string]int{}
	for i, k := range InputKinds {
		order["input/"+k.Name] = i + 1
	}
	for i, st := range c.Stages {
		order["stage/"+st.Code] = i + 1
	}
	stage := map[string]string{}
	for _, st := range c.Stages {
		stage[st.Code] = st.Name
	}
	for _, col := range cols {
		codes := make([]string, 0, len(labels[col]))
		for code := range labels[col] {
			codes = append(codes, code)
		}
		sort.Strings(codes)
		for _, code := range codes {
			w := labels[col][code]
			if col == "stage" && stage[code] != "" {
				w = stage[code]
			}
			out = append(out, LabelRow{col, code, w, order[col+"/"+code]})
		}
	}
	for _, st := range c.Stages {
		if _, ok := labels["stage"][st.Code]; !ok {
			out = append(out, LabelRow{"stage", st.Code, st.Name, order["stage/"+st.Code]})
		}
	}
	for i, cat := range c.Categories {
		out = append(out, LabelRow{"category", cat.Code, cat.Name, i + 1})
	}
	return out
}
