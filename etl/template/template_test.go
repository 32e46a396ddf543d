package template

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"landwatch/campaign"
	"landwatch/etl"
	"landwatch/warehouse"
)

// TestTemplates: every kind's template names every column of its contract as the loader reads
// it, and its example row loads into an empty warehouse (the example cites no record that must
// exist first; a stage entry's case must) or is refused only for a row's content — never for a missing column or header.
func TestTemplates(t *testing.T) {
	db, err := warehouse.Open(context.Background(), filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cfg := campaign.Default()
	for _, k := range Kinds() {
		data, err := For(cfg, k)
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		name := Name(k)
		_, err = etl.Load(context.Background(), db, cfg, k, name, bytes.NewReader(data), etl.Options{LoadedBy: "test"})
		var fe *etl.FileError
		if errors.As(err, &fe) {
			for _, ce := range fe.Errors {
				if strings.Contains(ce.Msg, "缺少") || strings.Contains(ce.Msg, "表头") || strings.Contains(ce.Msg, "是不是") {
					t.Errorf("%s template: %v", k, ce)
				}
			}
			// a stage entry, an acceptance and a collection name a case or problem already loaded; a
			// camera event's screenshot lies beside its list
			if k != etl.KindCaseStages && k != etl.KindAcceptances && k != etl.KindCollections && k != etl.KindVideo {
				t.Errorf("%s: the example row is refused: %v", k, err)
			}
		} else if err != nil {
			t.Errorf("%s: %v", k, err)
		}
	}
}
