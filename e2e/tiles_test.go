package e2e

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net"
	"net/http"
	"regexp"
	"sync/atomic"

	"github.com/pocketbase/pocketbase/core"
)

// tileServer serves map tiles for the browser tests on its own port (a
// host of its own, as a real tile server is, so the site's CSP must allow
// it): one plain 256-pixel PNG for every {z}/{x}/{y}. The tests never reach
// the internet for a map.
type tileServer struct {
	url    string
	served atomic.Int64
	srv    *http.Server
}

var tilePath = regexp.MustCompile(`^/tiles/[0-9]+/[0-9]+/[0-9]+\.png$`)

// startTileServer starts the tile server and makes it the town's.
func startTileServer(app core.App) (*tileServer, error) {
	img := image.NewRGBA(image.Rect(0, 0, 256, 256))
	for y := range 256 {
		for x := range 256 {
			c := color.RGBA{0xe8, 0xee, 0xe4, 0xff}
			if x%64 == 0 || y%64 == 0 { // a grid, to see the map move in screenshots
				c = color.RGBA{0xc8, 0xcf, 0xc4, 0xff}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	tile := buf.Bytes()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	ts := &tileServer{url: "http://" + l.Addr().String()}
	ts.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !tilePath.MatchString(r.URL.Path) {
			http.NotFound(w, r)
			return
		}
		ts.served.Add(1)
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(tile)
	})}
	go func() { _ = ts.srv.Serve(l) }()
	s, err := app.FindFirstRecordByFilter("town_settings", "")
	if err != nil {
		return nil, err
	}
	s.Set("map_tile_url", ts.url+"/tiles/{z}/{x}/{y}.png")
	s.Set("map_attribution", "Test tiles")
	s.Set("map_attribution_url", "")
	if err := app.Save(s); err != nil {
		return nil, err
	}
	return ts, placeDemoReports(app)
}

// placeDemoReports puts the demo's reports that have no map point at spots
// in Pine Falls (the first two a few metres apart, so that the public map
// clusters them), as residents would have picked them.
func placeDemoReports(app core.App) error {
	var ids []string
	if err := app.DB().NewQuery("SELECT id FROM complaints WHERE has_location = FALSE ORDER BY id").Column(&ids); err != nil {
		return err
	}
	spots := [][2]float64{{44.9812, -93.1104}, {44.9813, -93.1102}, {45.0105, -93.0712}, {44.9624, -93.1378}, {45.0311, -93.0901}}
	for i, id := range ids {
		pt := spots[i%len(spots)]
		if _, err := app.DB().NewQuery("UPDATE complaints SET has_location = TRUE, location = json_object('lon', {:lon}, 'lat', {:lat}) WHERE id = {:id}").
			Bind(map[string]any{"lon": pt[1], "lat": pt[0], "id": id}).Execute(); err != nil {
			return err
		}
	}
	return nil
}

func (ts *tileServer) close() { _ = ts.srv.Close() }
