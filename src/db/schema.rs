// @generated automatically by Diesel CLI.

diesel::table! {
    answered_seals (wave_id, seal) {
        wave_id -> Int8,
        seal -> Bytea,
        answered_on -> Date,
    }
}

diesel::table! {
    api_keys (id) {
        id -> Int8,
        user_id -> Int8,
        label -> Text,
        key_hash -> Bytea,
        prefix -> Text,
        created_at -> Timestamptz,
        last_used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    champion_assignments (wave_id, team_id) {
        wave_id -> Int8,
        team_id -> Int8,
        person_id -> Nullable<Int8>,
        distance -> Nullable<Int4>,
        overridden -> Bool,
    }
}

diesel::table! {
    champion_nominations (wave_id, person_id) {
        wave_id -> Int8,
        person_id -> Int8,
        reason -> Text,
        nominated_by -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    champion_notices (wave_id, person_id) {
        wave_id -> Int8,
        person_id -> Int8,
        team_ids -> Array<Nullable<Int8>>,
        notified_at -> Timestamptz,
    }
}

diesel::table! {
    champion_optins (wave_id, person_id) {
        wave_id -> Int8,
        person_id -> Int8,
        consent_version -> Int4,
        score_awareness -> Nullable<Float8>,
        score_desire -> Nullable<Float8>,
        score_knowledge -> Nullable<Float8>,
        score_ability -> Nullable<Float8>,
        score_reinforcement -> Nullable<Float8>,
        opted_in_on -> Date,
    }
}

diesel::table! {
    email_outbox (id) {
        id -> Uuid,
        kind -> Text,
        dedupe_key -> Text,
        wave_id -> Nullable<Int8>,
        invitation_id -> Nullable<Uuid>,
        recipient -> Text,
        payload -> Jsonb,
        status -> Text,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        sent_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    initiative_members (initiative_id, user_id) {
        initiative_id -> Int8,
        user_id -> Int8,
        member_role -> Text,
    }
}

diesel::table! {
    initiatives (id) {
        id -> Int8,
        name -> Text,
        description -> Text,
        template_id -> Nullable<Int8>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    invitations (id) {
        id -> Uuid,
        wave_id -> Int8,
        person_id -> Int8,
        team_id -> Int8,
        token_hash -> Bytea,
        answered -> Bool,
        answered_on -> Nullable<Date>,
        location -> Nullable<Text>,
    }
}

diesel::table! {
    login_failures (id) {
        id -> Int8,
        key_hash -> Bytea,
        failed_at -> Timestamptz,
    }
}

diesel::table! {
    people (id) {
        id -> Int8,
        email -> Text,
        name -> Text,
        team_id -> Int8,
        manager_email -> Nullable<Text>,
        location -> Nullable<Text>,
        external_id -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    playbook_items (id) {
        id -> Int8,
        element -> Text,
        position -> Int4,
        text -> Text,
    }
}

diesel::table! {
    responses (id) {
        id -> Uuid,
        wave_id -> Int8,
        team_id -> Int8,
        response_key -> Bytea,
        answered_on -> Date,
        answers -> Jsonb,
        comments -> Jsonb,
        score_awareness -> Nullable<Float8>,
        score_desire -> Nullable<Float8>,
        score_knowledge -> Nullable<Float8>,
        score_ability -> Nullable<Float8>,
        score_reinforcement -> Nullable<Float8>,
        barrier -> Text,
        location -> Nullable<Text>,
    }
}

diesel::table! {
    sessions (token_hash) {
        token_hash -> Bytea,
        user_id -> Int8,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
    }
}

diesel::table! {
    survey_item_texts (item_id, language) {
        item_id -> Int8,
        language -> Text,
        text -> Text,
    }
}

diesel::table! {
    survey_items (id) {
        id -> Int8,
        template_id -> Int8,
        element -> Text,
        position -> Int4,
    }
}

diesel::table! {
    survey_templates (id) {
        id -> Int8,
        name -> Text,
        language -> Text,
        consent_version -> Int4,
        consent_text -> Text,
        frozen -> Bool,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    teams (id) {
        id -> Int8,
        parent_id -> Nullable<Int8>,
        name -> Text,
        path -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    users (id) {
        id -> Int8,
        email -> Text,
        name -> Text,
        role -> Text,
        password_hash -> Text,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    wave_teams (wave_id, team_id) {
        wave_id -> Int8,
        team_id -> Int8,
    }
}

diesel::table! {
    waves (id) {
        id -> Int8,
        initiative_id -> Int8,
        name -> Text,
        status -> Text,
        closes_at -> Timestamptz,
        min_group_size -> Int4,
        reminder_days -> Array<Nullable<Int4>>,
        all_teams -> Bool,
        sponsor_message -> Text,
        template_id -> Nullable<Int8>,
        launched_at -> Nullable<Timestamptz>,
        closed_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        last_reminder_day -> Int4,
        champions_confirmed_at -> Nullable<Timestamptz>,
    }
}

diesel::joinable!(answered_seals -> waves (wave_id));
diesel::joinable!(api_keys -> users (user_id));
diesel::joinable!(champion_assignments -> people (person_id));
diesel::joinable!(champion_assignments -> teams (team_id));
diesel::joinable!(champion_assignments -> waves (wave_id));
diesel::joinable!(champion_nominations -> people (person_id));
diesel::joinable!(champion_nominations -> users (nominated_by));
diesel::joinable!(champion_nominations -> waves (wave_id));
diesel::joinable!(champion_notices -> people (person_id));
diesel::joinable!(champion_notices -> waves (wave_id));
diesel::joinable!(champion_optins -> people (person_id));
diesel::joinable!(champion_optins -> waves (wave_id));
diesel::joinable!(email_outbox -> invitations (invitation_id));
diesel::joinable!(email_outbox -> waves (wave_id));
diesel::joinable!(initiative_members -> initiatives (initiative_id));
diesel::joinable!(initiative_members -> users (user_id));
diesel::joinable!(initiatives -> survey_templates (template_id));
diesel::joinable!(invitations -> people (person_id));
diesel::joinable!(invitations -> teams (team_id));
diesel::joinable!(invitations -> waves (wave_id));
diesel::joinable!(people -> teams (team_id));
diesel::joinable!(responses -> teams (team_id));
diesel::joinable!(responses -> waves (wave_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(survey_item_texts -> survey_items (item_id));
diesel::joinable!(survey_items -> survey_templates (template_id));
diesel::joinable!(wave_teams -> teams (team_id));
diesel::joinable!(wave_teams -> waves (wave_id));
diesel::joinable!(waves -> initiatives (initiative_id));
diesel::joinable!(waves -> survey_templates (template_id));

diesel::allow_tables_to_appear_in_same_query!(
    answered_seals,
    api_keys,
    champion_assignments,
    champion_nominations,
    champion_notices,
    champion_optins,
    email_outbox,
    initiative_members,
    initiatives,
    invitations,
    login_failures,
    people,
    playbook_items,
    responses,
    sessions,
    survey_item_texts,
    survey_items,
    survey_templates,
    teams,
    users,
    wave_teams,
    waves,
);
