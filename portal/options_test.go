package portal

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"landwatch/store/tipstore"
	"landwatch/warehouse"
)

// TestOptionsSafeDefaults: a zero Options takes the configuration's limits and proof of work (it
// does not turn them off); turning one off takes its Disable field; a negative value is refused.
func TestOptionsSafeDefaults(t *testing.T) {
	db, err := warehouse.Open(t.Context(), filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg, err := db.Config(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Portal.TipsPerIPHour == 0 || cfg.Portal.PowBits == 0 {
		t.Fatal("the default configuration has no limit or no proof of work to check against")
	}
	st, err := Options{}.resolve(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if st.tipsPerIPHour != cfg.Portal.TipsPerIPHour || st.tipsPerHour != cfg.Portal.TipsPerHour || st.powBits != cfg.Portal.PowBits ||
		st.noJSDelay == 0 || st.now == nil || st.log == nil {
		t.Fatalf("zero options: %+v", st)
	}
	st, err = Options{DisableTipsPerIPLimit: true, DisableTipsPerHourLimit: true, DisablePow: true, TipsPerIPHour: 3}.resolve(cfg)
	if err != nil || st.tipsPerIPHour != 0 || st.tipsPerHour != 0 || st.powBits != 0 {
		t.Fatalf("disabled: %+v %v", st, err)
	}
	for _, o := range []Options{{TipsPerIPHour: -1}, {PowBits: -1}, {TipsPerHour: -1}, {PowBits: 29}} {
		if _, err := o.resolve(cfg); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
}

// TestCloseStopsCommitter: Close stops the tip committer and waits for it; a tip after Close is
// refused, not left waiting.
func TestCloseStopsCommitter(t *testing.T) {
	e := newEnv(t)
	if _, err := e.srv.Tips().SubmitTip(context.Background(), tipstore.TipInput{Township: "沁河镇", Description: "夜里拉煤"}, nil); err != nil {
		t.Fatal(err)
	}
	e.srv.Close() // a tip refused with ErrClosed right after shows the committer has stopped
	if _, err := e.srv.Tips().SubmitTip(context.Background(), tipstore.TipInput{Township: "沁河镇", Description: "又在拉煤"}, nil); !errors.Is(err, tipstore.ErrClosed) {
		t.Fatalf("tip after Close: %v", err)
	}
	e.srv.Close() // twice is fine
}
