//! Services and users: E1–E7.

use super::*;
use std::collections::HashSet;

impl Verigator {
    /// E1: creates a service; its name is unique in the account.
    pub async fn create_service(
        &self,
        account: &AccountName,
        request: CreateService,
    ) -> Result<Service, VerigatorError> {
        let name = required_text(&request.name, "name")?;
        let fqdn = required_text(&request.fqdn, "fqdn")?;
        let row = ServiceRow {
            id: uuid::Uuid::new_v4().to_string(),
            account: account.as_str().to_owned(),
            name,
            fqdn,
            ctime: self.ctime(),
        };
        let inserted = crate::db::on_db!(&self.db, |db| {
            sqlx::query(
            "INSERT INTO verigator_services (id, account, name, fqdn, ctime, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (account, name) DO NOTHING",
        )
        .bind(&row.id)
        .bind(&row.account)
        .bind(&row.name)
        .bind(&row.fqdn)
        .bind(&row.ctime)
        .bind(self.clock.unix_seconds())
        .execute(db).await.map(|done| done.rows_affected())
        })?;
        if inserted == 0 {
            return Err(VerigatorError::Conflict("Service already exists"));
        }
        row.to_wire()
    }

    /// E2: reads a service.
    pub async fn get_service(
        &self,
        account: &AccountName,
        service_id: &str,
    ) -> Result<Service, VerigatorError> {
        self.service_row(account, service_id).await?.to_wire()
    }

    /// E3: deletes a service that has no users left.
    pub async fn delete_service(
        &self,
        account: &AccountName,
        service_id: &str,
    ) -> Result<(), VerigatorError> {
        let service = self.service_row(account, service_id).await?;
        let deleted = crate::db::on_db!(&self.db, |db| sqlx::query(
            "DELETE FROM verigator_services WHERE id = $1 \
             AND NOT EXISTS (SELECT 1 FROM verigator_users WHERE service_id = $2)",
        )
        .bind(&service.id)
        .bind(&service.id)
        .execute(db)
        .await
        .map(|done| done.rows_affected()))?;
        if deleted == 0 {
            return Err(VerigatorError::Conflict(
                "Service still has users: delete them first",
            ));
        }
        Ok(())
    }

    /// E4: adds a user to a service; `id_in_service` is unique in the service.
    pub async fn create_user(
        &self,
        account: &AccountName,
        service_id: &str,
        request: CreateUser,
    ) -> Result<User, VerigatorError> {
        let service = self.service_row(account, service_id).await?;
        let id_in_service = required_text(&request.id_in_service, "id_in_service")?;
        let phone = PhoneNumber::parse(&request.phone_number, None).map_err(|e| {
            VerigatorError::Invalid(format!(
                "phone_number must be an international number starting with +: {e}"
            ))
        })?;
        let user = UserRow {
            id: uuid::Uuid::new_v4().to_string(),
            id_in_service,
            phone_number: phone.as_str().to_owned(),
            ctime: self.ctime(),
            totp_secret: None,
            totp_confirmed: false,
            consecutive_failures: 0,
        };
        let inserted = crate::db::on_db!(&self.db, |db| {
            sqlx::query(
            "INSERT INTO verigator_users (id, service_id, id_in_service, phone_number, ctime, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (service_id, id_in_service) DO NOTHING",
        )
        .bind(&user.id)
        .bind(&service.id)
        .bind(&user.id_in_service)
        .bind(&user.phone_number)
        .bind(&user.ctime)
        .bind(self.clock.unix_seconds())
        .execute(db).await.map(|done| done.rows_affected())
        })?;
        if inserted == 0 {
            return Err(VerigatorError::Conflict("User already exists"));
        }
        user.to_wire()
    }

    /// E5: the service's users, oldest first.
    pub async fn list_users(
        &self,
        account: &AccountName,
        service_id: &str,
    ) -> Result<UserList, VerigatorError> {
        let service = self.service_row(account, service_id).await?;
        let rows: Vec<UserRow> = crate::db::on_db!(&self.db, |db| {
            sqlx::query_as(
            "SELECT id, id_in_service, phone_number, ctime, totp_secret, totp_confirmed, consecutive_failures \
             FROM verigator_users WHERE service_id = $1 ORDER BY created_at, id_in_service",
        )
        .bind(&service.id)
        .fetch_all(db).await
        })?;
        let users = rows
            .iter()
            .map(UserRow::to_wire)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(UserList {
            count: users.len(),
            total: users.len(),
            users,
        })
    }

    /// E6: reads a user.
    pub async fn get_user(
        &self,
        account: &AccountName,
        service_id: &str,
        user_id: &str,
    ) -> Result<User, VerigatorError> {
        self.user_row(account, service_id, user_id)
            .await?
            .1
            .to_wire()
    }

    /// E7: deletes a user and whatever it had pending.
    pub async fn delete_user(
        &self,
        account: &AccountName,
        service_id: &str,
        user_id: &str,
    ) -> Result<(), VerigatorError> {
        let (_, user) = self.user_row(account, service_id, user_id).await?;
        let mut tx = self.db.begin().await?;
        crate::db::on_db!(&mut tx, |tx| sqlx::query(
            "DELETE FROM verigator_challenges WHERE user_id = $1"
        )
        .bind(&user.id)
        .execute(&mut **tx)
        .await
        .map(|done| done.rows_affected()))?;
        // Its SMS sends stay: the limits belong to the number, not to the user.
        crate::db::on_db!(&mut tx, |tx| sqlx::query(
            "DELETE FROM verigator_code_failures WHERE user_id = $1"
        )
        .bind(&user.id)
        .execute(&mut **tx)
        .await
        .map(|done| done.rows_affected()))?;
        crate::db::on_db!(&mut tx, |tx| sqlx::query(
            "DELETE FROM verigator_users WHERE id = $1"
        )
        .bind(&user.id)
        .execute(&mut **tx)
        .await
        .map(|done| done.rows_affected()))?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes, with their users, the services of `account` named `name` that were created
    /// before `created_before` and that no site uses (`in_use`): twins left by a creation that
    /// lost a race or died half-way. Answers how many services went.
    pub async fn delete_unused_services(
        &self,
        account: &str,
        name: &str,
        in_use: &HashSet<String>,
        created_before: i64,
    ) -> Result<u64, sqlx::Error> {
        let candidates: Vec<String> = crate::db::on_db!(&self.db, |db| {
            sqlx::query_scalar(
            "SELECT id FROM verigator_services WHERE account = $1 AND name = $2 AND created_at < $3",
        )
        .bind(account)
        .bind(name)
        .bind(created_before)
        .fetch_all(db).await
        })?;
        let mut deleted = 0;
        for service in candidates.iter().filter(|id| !in_use.contains(*id)) {
            let mut tx = self.db.begin().await?;
            for table in ["verigator_challenges", "verigator_code_failures"] {
                crate::db::on_db!(&mut tx, |tx| sqlx::query(&format!(
                    "DELETE FROM {table} WHERE user_id IN \
                     (SELECT id FROM verigator_users WHERE service_id = $1)"
                ))
                .bind(service)
                .execute(&mut **tx)
                .await
                .map(|done| done.rows_affected()))?;
            }
            crate::db::on_db!(&mut tx, |tx| sqlx::query(
                "DELETE FROM verigator_users WHERE service_id = $1"
            )
            .bind(service)
            .execute(&mut **tx)
            .await
            .map(|done| done.rows_affected()))?;
            deleted += crate::db::on_db!(&mut tx, |tx| sqlx::query(
                "DELETE FROM verigator_services WHERE id = $1"
            )
            .bind(service)
            .execute(&mut **tx)
            .await
            .map(|done| done.rows_affected()))?;
            tx.commit().await?;
        }
        Ok(deleted)
    }
}
