package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/pocketbase/pocketbase"
	"github.com/spf13/cobra"

	"github.com/townhall-portal/townhall/hooks"
	"github.com/townhall-portal/townhall/internal/addresses"
)

// importCommand loads data the county already has elsewhere: its address
// points.
func importCommand(app *pocketbase.PocketBase, portal *hooks.Portal) *cobra.Command {
	c := &cobra.Command{
		Use:   "import",
		Short: "Load the county's own data: its address points (import addresses FILE.csv)",
	}
	c.AddCommand(importAddressesCommand(app, portal))
	return c
}

// importAddressesCommand loads a county GIS or OpenAddresses CSV export of
// address points.
func importAddressesCommand(app *pocketbase.PocketBase, portal *hooks.Portal) *cobra.Command {
	var columns []string
	var maxShown int
	c := &cobra.Command{
		Use:   "addresses FILE.csv",
		Short: "Load address points (house number, street, unit, city, ZIP, latitude, longitude, parcel) for the address search",
		Long: "Load a CSV of address points, as a county GIS or OpenAddresses exports them, into the address search.\n" +
			"The columns are found by their usual names (NUMBER, ADD_NUMBER; STREET, ST_NAME with ST_PREDIR and\n" +
			"ST_POSTYP; UNIT; CITY, POST_COMM; POSTCODE, ZIP; LAT, Y, POINT_Y; LON, X, POINT_X; PARCEL, PIN, APN);\n" +
			"name others with --column. Coordinates are decimal degrees (WGS 84). Importing again is safe: an\n" +
			"address already there (same number, street, unit and ZIP) is updated, not added twice. A file that\n" +
			"cannot be read imports nothing; a bad row is refused with its line and the reason, the others load.",
		Example: "  townhall import addresses pine-county-addresses.csv\n" +
			"  townhall import addresses export.csv --column number=HSE_NBR --column street=FULL_ST --column lat=LAT_DD --column lon=LON_DD",
		Args:         cobra.ExactArgs(1),
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			flags := map[string]string{}
			for _, col := range columns {
				field, header, err := addresses.ParseColumnFlag(col)
				if err != nil {
					return err
				}
				flags[field] = header
			}
			f, err := os.Open(args[0])
			if err != nil {
				return fmt.Errorf("opening the address file: %w", err)
			}
			defer f.Close()
			parsed, err := addresses.ParseCSV(f, flags)
			if err != nil {
				return fmt.Errorf("%s: %w; nothing was imported", args[0], err)
			}
			if err := app.RunAllMigrations(); err != nil {
				return fmt.Errorf("applying migrations: %w", err)
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "Columns: %s\n", describeColumns(parsed.Columns))
			res, err := portal.ImportAddresses(parsed.Rows)
			refused := append(parsed.Refused, res.Refused...)
			printImport(out, res, refused, maxShown)
			if err != nil {
				return err
			}
			if res.Loaded+res.Updated+res.Unchanged == 0 && len(refused) > 0 {
				return errors.New("no address could be imported (see the reasons above)")
			}
			return nil
		},
	}
	c.Flags().StringArrayVar(&columns, "column", nil, "which column holds a field, as field=HEADER (repeatable); fields: number, street, "+
		"pre_dir, street_name, street_type, post_dir, unit, city, zip, lat, lon, parcel")
	c.Flags().IntVar(&maxShown, "show-refused", 50, "how many refused lines to list (0: all)")
	return c
}

// describeColumns lists which header each field was read from.
func describeColumns(cols map[string]string) string {
	s := ""
	for _, f := range addresses.Fields {
		if h, ok := cols[f]; ok {
			if s != "" {
				s += ", "
			}
			s += f + "=" + h
		}
	}
	return s
}

// printImport writes the import's counts and the refused lines.
func printImport(out io.Writer, res hooks.AddressImport, refused []addresses.Refusal, maxShown int) {
	sortRefusals(refused)
	for i, r := range refused {
		if maxShown > 0 && i >= maxShown {
			fmt.Fprintf(out, "  … and %d more refused lines (--show-refused 0 lists them all)\n", len(refused)-maxShown)
			break
		}
		fmt.Fprintf(out, "  line %d refused: %s\n", r.Line, r.Reason)
	}
	fmt.Fprintf(out, "%s loaded, %s updated, %s unchanged, %s refused.\n",
		plural(res.Loaded, "address", "addresses"), fmt.Sprint(res.Updated), fmt.Sprint(res.Unchanged), fmt.Sprint(len(refused)))
}

// sortRefusals puts refused lines in file order.
func sortRefusals(r []addresses.Refusal) {
	slices.SortStableFunc(r, func(a, b addresses.Refusal) int { return a.Line - b.Line })
}
