//! Who uses this device: asked once, changeable in settings.

use leptos::prelude::*;

use super::fields::{opt_hint, Choice};
use crate::core::plan::Role;
use crate::web::{route, settings};

fn role_code(r: Option<Role>) -> Option<String> {
    r.map(|r| match r {
        Role::Carer => "carer".to_string(),
        Role::KeyWorker => "key-worker".to_string(),
    })
}

/// The question itself, used on first start and in settings.
#[component]
pub fn WhoUsesThisDevice(first_time: bool) -> impl IntoView {
    let role = RwSignal::new(role_code(settings::role()));
    let name = RwSignal::new(settings::me().name);
    let problem = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let on_pick = Callback::new(move |v: String| {
        role.set(Some(v));
        problem.set(None);
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = match role.get_untracked().as_deref() {
            Some("carer") => Role::Carer,
            Some("key-worker") => Role::KeyWorker,
            _ => {
                problem.set(Some("Choose who uses this device.".into()));
                return;
            }
        };
        let n = name.get_untracked();
        if chosen == Role::KeyWorker && n.trim().is_empty() {
            problem.set(Some(
                "Enter your name. Carers see it on the plans you share and sign.".into(),
            ));
            return;
        }
        if n.chars().count() > 100 {
            problem.set(Some("Your name can be at most 100 characters.".into()));
            return;
        }
        settings::set_role(chosen);
        settings::set_my_name(n.trim());
        saved.set(true);
        let ui = crate::web::state::ui();
        ui.role.set(Some(chosen));
        crate::web::session::refresh_list();
        route::go_href("#/");
        ui.route.set(route::Route::Home);
    };
    let options = vec![
        opt_hint("carer", "I am a carer", "I am filling in my own plan."),
        opt_hint(
            "key-worker",
            "I am a key worker",
            "I support carers and keep their plans on this device.",
        ),
    ];
    view! {
        {(!first_time).then(|| view! { <p><a class="back-link" href="#/">"Back"</a></p> })}
        <h1 tabindex="-1">{if first_time { "Who uses this device?" } else { "Settings" }}</h1>
        {first_time.then(|| view! { <p>"We ask once, so the app shows the right pages. You can change it later in settings."</p> })}
        <form on:submit=save novalidate>
            {move || problem.get().map(|p| view! {
                <div class="error-summary" role="alert"><h2 class="error-summary__title">"There is a problem"</h2><p>{p}</p></div>
            })}
            <Choice name="role".to_string() legend="Who uses this device?".to_string()
                options=options current=Signal::derive(move || role.get()) on_pick=on_pick/>
            <div class="field">
                <label class="label" for="my-name">"Your name"</label>
                <p class="hint" id="my-name-hint">"Shown to the other person on plans you share, and on sign-off. Carers can leave this blank."</p>
                <input class="input" id="my-name" name="my-name" type="text" autocomplete="name"
                    aria-describedby="my-name-hint" prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))/>
            </div>
            <button type="submit" class="button" data-testid="save-role">"Save and continue"</button>
        </form>
    }
}
