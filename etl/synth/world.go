package synth

import (
	"landwatch/etl/synth/chain"
	"landwatch/etl/synth/county"
)

func (w *world) villageCount() int {
	n := 0
	for _, t := range w.Towns {
		n += len(t.Villages)
	}
	return n
}

func (w *world) plantedMeters() int {
	n := 0
	for _, m := range w.Meters {
		if len(m.Anomalies) > 0 {
			n++
		}
	}
	return n
}

func (w *world) recordCount() int {
	return len(w.Patches) + len(w.Cases) + len(w.Clues) + len(w.Checks)
}

func (w *world) formRowCount() int {
	n := 0
	for _, f := range w.Forms {
		n += len(f.Rows)
	}
	return n
}

// world is the planned county (county.World, through chain.World) with the methods that write its
// files and compute its truth.
type world struct{ *chain.World }

// planned is the planned county itself.
func (w *world) planned() *county.World { return w.World.World }
