package synth

import (
	"hash/fnv"

	"landwatch/etl/synth/county"
	"landwatch/etl/synth/kit"
)

// caseValue is a case's 认定价值 (元), the value the price determination put on the minerals, shown
// in the register once the determination is done (0: none). A case sent to 公安 is valued at the
// criminal threshold of the default configuration (criminal_yuan, 100,000 元) or more; of the others
// every fifth is valued above it too — a case that should have gone to 公安 and did not (its 移送公安
// overdue in mart_violation_actions) — and the rest below it. Derived from the case id, so the
// generator's random draws and every other figure stay as they were.
func caseValue(c *county.CaseRec) int64 {
	if c.PriceDone == 0 {
		return 0
	}
	h := fnv.New32a()
	h.Write([]byte(c.ID))
	k := int64(h.Sum32() % 20)
	switch {
	case c.Police != 0:
		return 100000 + k*10000
	case k%5 == 0:
		return 120000 + k*1000
	}
	return 10000 + k*4000
}

// valueUpTo is caseValue in the export of day s: blank (0) until the determination is done.
func valueUpTo(c *county.CaseRec, s kit.Date) int64 {
	if upTo(c.PriceDone, s) == 0 {
		return 0
	}
	return caseValue(c)
}
