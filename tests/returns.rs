//! Native tests of the caseload's returns CSV: a header row and one row a
//! plan, dates in ISO form, and text that looks like a spreadsheet formula
//! or holds commas, quotes and line breaks coming out safe and intact.

mod common;

use carer_plan::share::returns::{self, neutralise};
use common::*;

fn read_back(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn awkward_text_round_trips_through_a_csv_reader() {
    let nasty = [
        "Smith, Ann",
        "Ann \"Nan\" Smith",
        "line one\nline two\r\nline three",
        "",
        "  spaces  ",
        "émigré — Ōsaka 🌷",
        "plain",
    ];
    let rows: Vec<Vec<String>> = nasty
        .iter()
        .map(|s| vec![s.to_string(), "x".into()])
        .collect();
    let text = returns::write_rows(&rows).unwrap();
    let back = read_back(&text);
    assert_eq!(back.len(), nasty.len());
    for (row, want) in back.iter().zip(nasty) {
        assert_eq!(row[0], want);
        assert_eq!(row[1], "x");
    }
}

#[test]
fn formula_looking_cells_are_neutralised() {
    let formulas = [
        "=HYPERLINK(\"http://evil.example\",\"Click\")",
        "+1+2",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        "=cmd|' /C calc'!A0",
    ];
    let rows: Vec<Vec<String>> = formulas.iter().map(|s| vec![s.to_string()]).collect();
    let back = read_back(&returns::write_rows(&rows).unwrap());
    for (row, original) in back.iter().zip(formulas) {
        assert!(row[0].starts_with('\''), "{:?}", row[0]);
        // Intact after the apostrophe: nothing of what was typed is lost.
        assert_eq!(&row[0][1..], original);
    }
    for safe in ["Ann", "2026-11-23", "50+", "0-4", "with-help", "a=b"] {
        assert_eq!(neutralise(safe), safe);
    }
}

#[test]
fn a_caseload_exports_a_header_and_one_row_a_plan() {
    let a = actor();
    let mut full = full_plan(&a);
    full.set_field(
        &Field::Carer(CarerField::Name),
        "=Brown, \"Peggy\"\nMargaret",
        T0 + 500,
    )
    .unwrap();
    let empty = PlanDoc::create(&a, carer("Ann"), "scotland-national", &AREAS, T0).unwrap();
    let plans = vec![full.plan().unwrap(), empty.plan().unwrap()];
    let back = read_back(&returns::csv(&plans).unwrap());
    assert_eq!(back.len(), 3);
    let header = &back[0];
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    for area in AREAS {
        col(&format!("impact_{area}"));
        col(&format!("support_actions_{area}"));
    }
    let row = &back[1];
    assert_eq!(row[col("carer_local_reference")], full.plan_id().as_str());
    assert_eq!(row[col("carer_name")], "'=Brown, \"Peggy\"\nMargaret");
    assert_eq!(row[col("acsp_requested_date")], "2026-11-18");
    assert_eq!(row[col("episode")], "1");
    assert_eq!(row[col("is_review")], "N");
    let p = &plans[0];
    assert_eq!(
        row[col("hours_caring_per_week_band")],
        returns::hours_band(p.caring_role.hours())
    );
    assert_eq!(row[col("hours_caring_per_week")], "70");
    assert_eq!(
        row[col("support_actions_total")],
        p.actions.len().to_string()
    );
    // The empty plan: nothing invented.
    let blank = &back[2];
    assert_eq!(blank[col("acsp_completed_date")], "");
    assert_eq!(blank[col("highest_impact")], "");
    assert_eq!(blank[col("eligible_local_threshold")], "");
    // No hours given: said so in both hours cells, never an empty cell.
    assert_eq!(blank[col("hours_caring_per_week")], "not-given");
    assert_eq!(blank[col("hours_caring_per_week_band")], "not-given");
}
