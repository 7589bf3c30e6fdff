//! Survey templates as data: statements per element, with a text per language.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;

use crate::db::schema::{survey_items, survey_templates};
use crate::domain::adkar::Element;

/// The seeded default template.
pub const DEFAULT_TEMPLATE_ID: i64 = 1;

/// A template row.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = survey_templates)]
pub struct SurveyTemplate {
    /// Primary key.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Language of the texts shown.
    pub language: String,
    /// Version of the champion consent text.
    pub consent_version: i32,
    /// The champion opt-in consent text.
    pub consent_text: String,
    /// A frozen template is never edited (the default, and those of launched waves).
    pub frozen: bool,
}

/// One statement of a template, in one language.
#[derive(Debug, Clone, Serialize, QueryableByName)]
pub struct SurveyQuestion {
    /// Item id: the question id in answers.
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    /// Element name.
    #[diesel(sql_type = Text)]
    pub element: String,
    /// The statement.
    #[diesel(sql_type = Text)]
    pub text: String,
}

impl SurveyQuestion {
    /// The statement's element (always valid by the table's CHECK).
    pub fn element(&self) -> Element {
        Element::parse(&self.element).unwrap_or(Element::Awareness)
    }
}

impl SurveyTemplate {
    /// Finds a template.
    pub async fn find(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<SurveyTemplate> {
        survey_templates::table
            .find(id)
            .select(SurveyTemplate::as_select())
            .first(conn)
            .await
    }

    /// The statements in A-D-K-A-R order, then position, in the template's language.
    pub async fn questions(
        conn: &mut AsyncPgConnection,
        id: i64,
    ) -> QueryResult<Vec<SurveyQuestion>> {
        diesel::sql_query(
            "SELECT i.id, i.element, t.text FROM survey_items i \
             JOIN survey_templates st ON st.id = i.template_id \
             JOIN survey_item_texts t ON t.item_id = i.id AND t.language = st.language \
             WHERE i.template_id = $1 \
             ORDER BY array_position(ARRAY['awareness','desire','knowledge','ability','reinforcement'], i.element), i.position",
        )
        .bind::<BigInt, _>(id)
        .load(conn)
        .await
    }

    /// Copies a template with all its statements; returns the copy's id.
    pub async fn copy(
        conn: &mut AsyncPgConnection,
        id: i64,
        name: &str,
        frozen: bool,
    ) -> QueryResult<i64> {
        let source = Self::find(conn, id).await?;
        let copy_id: i64 = diesel::insert_into(survey_templates::table)
            .values((
                survey_templates::name.eq(name),
                survey_templates::language.eq(&source.language),
                survey_templates::consent_version.eq(source.consent_version),
                survey_templates::consent_text.eq(&source.consent_text),
                survey_templates::frozen.eq(frozen),
            ))
            .returning(survey_templates::id)
            .get_result(conn)
            .await?;
        diesel::sql_query(
            "WITH src AS (SELECT id, element, position FROM survey_items WHERE template_id = $1), \
             ins AS (INSERT INTO survey_items (template_id, element, position) \
                     SELECT $2, element, position FROM src RETURNING id, element, position) \
             INSERT INTO survey_item_texts (item_id, language, text) \
             SELECT ins.id, t.language, t.text FROM ins \
             JOIN src USING (element, position) JOIN survey_item_texts t ON t.item_id = src.id",
        )
        .bind::<BigInt, _>(id)
        .bind::<BigInt, _>(copy_id)
        .execute(conn)
        .await?;
        Ok(copy_id)
    }

    /// Replaces the wording of a statement in the template's language (unfrozen only).
    pub async fn set_text(
        conn: &mut AsyncPgConnection,
        template_id: i64,
        item_id: i64,
        text: &str,
    ) -> QueryResult<usize> {
        diesel::sql_query(
            "UPDATE survey_item_texts t SET text = $3 FROM survey_items i, survey_templates st \
             WHERE t.item_id = i.id AND i.id = $2 AND i.template_id = $1 AND st.id = $1 \
               AND NOT st.frozen AND t.language = st.language",
        )
        .bind::<BigInt, _>(template_id)
        .bind::<BigInt, _>(item_id)
        .bind::<Text, _>(text)
        .execute(conn)
        .await
    }

    /// Adds a statement at the end of an element (unfrozen only).
    pub async fn add_item(
        conn: &mut AsyncPgConnection,
        template_id: i64,
        element: Element,
        text: &str,
    ) -> QueryResult<usize> {
        diesel::sql_query(
            "WITH st AS (SELECT id, language FROM survey_templates WHERE id = $1 AND NOT frozen), \
             item AS (INSERT INTO survey_items (template_id, element, position) \
                      SELECT st.id, $2, COALESCE((SELECT max(position) FROM survey_items \
                        WHERE template_id = $1 AND element = $2), 0) + 1 FROM st RETURNING id) \
             INSERT INTO survey_item_texts (item_id, language, text) \
             SELECT item.id, st.language, $3 FROM item, st",
        )
        .bind::<BigInt, _>(template_id)
        .bind::<Text, _>(element.as_str())
        .bind::<Text, _>(text)
        .execute(conn)
        .await
    }

    /// Removes a statement (unfrozen only).
    pub async fn remove_item(
        conn: &mut AsyncPgConnection,
        template_id: i64,
        item_id: i64,
    ) -> QueryResult<usize> {
        diesel::delete(
            survey_items::table
                .filter(survey_items::id.eq(item_id))
                .filter(survey_items::template_id.eq(template_id))
                .filter(diesel::dsl::exists(
                    survey_templates::table
                        .filter(survey_templates::id.eq(template_id))
                        .filter(survey_templates::frozen.eq(false)),
                )),
        )
        .execute(conn)
        .await
    }
}
