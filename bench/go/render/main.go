// Renders template cases read as JSON from stdin with Go text/template (optionally + sprig)
// and prints [{out, err}] as JSON: the oracle for testdata/differential.json
// (see bench/go/record-differential.ts). Test tooling only; never shipped.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"text/template"

	"github.com/Masterminds/sprig"
)

type tcase struct {
	Template string          `json:"template"`
	Data     json.RawMessage `json:"data"`
	Option   string          `json:"option"`
	Float    bool            `json:"float"`
	NoSprig  bool            `json:"nosprig"`
}

func conv(v interface{}) interface{} {
	switch x := v.(type) {
	case map[string]interface{}:
		for k, e := range x {
			x[k] = conv(e)
		}
	case []interface{}:
		for i, e := range x {
			x[i] = conv(e)
		}
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	}
	return v
}

func main() {
	var cases []tcase
	json.NewDecoder(os.Stdin).Decode(&cases)
	out := []map[string]string{}
	for _, c := range cases {
		var data interface{}
		if c.Float {
			json.Unmarshal(c.Data, &data)
		} else {
			d := json.NewDecoder(bytes.NewReader(c.Data))
			d.UseNumber()
			d.Decode(&data)
			data = conv(data)
		}
		r := map[string]string{}
		t := template.New("t")
		if !c.NoSprig {
			t = t.Funcs(sprig.TxtFuncMap())
		}
		if c.Option != "" {
			t = t.Option(c.Option)
		}
		t, err := t.Parse(c.Template)
		if err != nil {
			r["err"] = err.Error()
		} else {
			var buf bytes.Buffer
			if err := t.Execute(&buf, data); err != nil {
				r["err"] = err.Error()
			}
			r["out"] = buf.String()
		}
		out = append(out, r)
	}
	b, _ := json.Marshal(out)
	fmt.Println(string(b))
}
