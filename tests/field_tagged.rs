//! A field's parts as serde's JSON names them (`Field::tagged`), which the
//! page reads and writes with the browser's own `JSON` (text conflicts kept
//! in localStorage since the first release): the same as serde_json's form,
//! for every answer of every kind, and back.

use carer_plan::plan::field::*;
use carer_plan::plan::Field;
use serde_json::Value;

fn every_field() -> Vec<Field> {
    let mut out = vec![
        Field::InformationGiven,
        Field::NotesForCarer,
        Field::PrivateNotes,
    ];
    out.extend(CarerField::ALL.iter().map(|f| Field::Carer(*f)));
    out.extend(RoleField::ALL.iter().map(|f| Field::Role(*f)));
    out.extend(NeedsField::ALL.iter().map(|f| Field::Needs(*f)));
    out.extend(EmergencyField::ALL.iter().map(|f| Field::Emergency(*f)));
    out.extend(FutureField::ALL.iter().map(|f| Field::Future(*f)));
    out.extend(ReviewField::ALL.iter().map(|f| Field::Review(*f)));
    out.extend(BudgetField::ALL.iter().map(|f| Field::Budget(*f)));
    out.extend(
        PersonField::ALL
            .iter()
            .map(|f| Field::Person("p1".into(), *f)),
    );
    out.extend(
        AreaField::ALL
            .iter()
            .map(|f| Field::Area("health-wellbeing".into(), *f)),
    );
    out.extend(
        ActionField::ALL
            .iter()
            .map(|f| Field::Action("a\"1".into(), *f)),
    );
    out.extend(
        ContactField::ALL
            .iter()
            .map(|f| Field::Contact("c1".into(), *f)),
    );
    out.extend(RiskField::ALL.iter().map(|f| Field::Risk("r1".into(), *f)));
    out
}

#[test]
fn a_fields_parts_are_serdes_json_and_read_back() {
    let fields = every_field();
    assert_eq!(
        fields.len(),
        3 + 9 + 6 + 2 + 9 + 3 + 1 + 2 + 4 + 6 + 2 + 3 + 4
    );
    for field in fields {
        let (variant, id, answer) = field.tagged();
        let json = serde_json::to_value(&field).unwrap();
        let from_parts = match (id, answer) {
            (None, None) => Value::String(variant.into()),
            (None, Some(a)) => serde_json::json!({ variant: a }),
            (Some(id), Some(a)) => serde_json::json!({ variant: [id, a] }),
            (Some(_), None) => panic!("{field:?}: an id with no answer"),
        };
        assert_eq!(json, from_parts, "{field:?}");
        assert_eq!(Field::from_tagged(variant, id, answer), Some(field.clone()));
    }
    assert_eq!(Field::from_tagged("Carer", None, Some("Nonsense")), None);
    assert_eq!(Field::from_tagged("Carer", Some("x"), Some("Name")), None);
    assert_eq!(Field::from_tagged("Person", None, Some("Name")), None);
    assert_eq!(Field::from_tagged("Elsewhere", None, None), None);
}
