export type Json = string | number | boolean | null | {
  [key: string]: Json | undefined;
} | Json[];

export type Database = {
  "public": {
    Tables: {
      "agent_desired_state": {
        Row: {
          "agent_id": string;
          "desired_state": Database["public"]["Enums"]["desired_state"];
          "generation": number;
          "last_command": Database["public"]["Enums"]["agent_command"] | null;
          "requested_at": string | null;
          "requested_by": string | null;
          "requested_by_email": string | null;
          "updated_at": string;
        };
        ComputedFields: never;
        Insert: {
          "agent_id": string;
          "desired_state"?: Database["public"]["Enums"]["desired_state"];
          "generation"?: number;
          "last_command"?: Database["public"]["Enums"]["agent_command"] | null;
          "requested_at"?: string | null;
          "requested_by"?: string | null;
          "requested_by_email"?: string | null;
          "updated_at"?: string;
        };
        Update: {
          "agent_id"?: string;
          "desired_state"?: Database["public"]["Enums"]["desired_state"];
          "generation"?: number;
          "last_command"?: Database["public"]["Enums"]["agent_command"] | null;
          "requested_at"?: string | null;
          "requested_by"?: string | null;
          "requested_by_email"?: string | null;
          "updated_at"?: string;
        };
        Relationships: [
          {
            foreignKeyName: "agent_desired_state_agent_id_fkey";
            columns: ["agent_id"];
            isOneToOne: true;
            referencedRelation: "agent_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "agent_desired_state_agent_id_fkey";
            columns: ["agent_id"];
            isOneToOne: true;
            referencedRelation: "agent_status";
            referencedColumns: ["id"];
          },
        ];
      };
      "agent_events": {
        Row: {
          "actor_email": string | null;
          "actor_id": string | null;
          "agent_id": string;
          "command": Database["public"]["Enums"]["agent_command"] | null;
          "created_at": string;
          "from_status": Database["public"]["Enums"]["agent_run_status"] | null;
          "generation": number | null;
          "health": number | null;
          "id": number;
          "kind": Database["public"]["Enums"]["agent_event_kind"];
          "log_lines": Json | null;
          "message": string | null;
          "snapshot": Json | null;
          "to_status": Database["public"]["Enums"]["agent_run_status"] | null;
        };
        ComputedFields: never;
        Insert: {
          "actor_email"?: string | null;
          "actor_id"?: string | null;
          "agent_id": string;
          "command"?: Database["public"]["Enums"]["agent_command"] | null;
          "created_at"?: string;
          "from_status"?:
            | Database["public"]["Enums"]["agent_run_status"]
            | null;
          "generation"?: number | null;
          "health"?: number | null;
          "id"?: never;
          "kind": Database["public"]["Enums"]["agent_event_kind"];
          "log_lines"?: Json | null;
          "message"?: string | null;
          "snapshot"?: Json | null;
          "to_status"?: Database["public"]["Enums"]["agent_run_status"] | null;
        };
        Update: {
          "actor_email"?: string | null;
          "actor_id"?: string | null;
          "agent_id"?: string;
          "command"?: Database["public"]["Enums"]["agent_command"] | null;
          "created_at"?: string;
          "from_status"?:
            | Database["public"]["Enums"]["agent_run_status"]
            | null;
          "generation"?: number | null;
          "health"?: number | null;
          "id"?: never;
          "kind"?: Database["public"]["Enums"]["agent_event_kind"];
          "log_lines"?: Json | null;
          "message"?: string | null;
          "snapshot"?: Json | null;
          "to_status"?: Database["public"]["Enums"]["agent_run_status"] | null;
        };
        Relationships: [
          {
            foreignKeyName: "agent_events_agent_id_fkey";
            columns: ["agent_id"];
            isOneToOne: false;
            referencedRelation: "agent_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "agent_events_agent_id_fkey";
            columns: ["agent_id"];
            isOneToOne: false;
            referencedRelation: "agent_status";
            referencedColumns: ["id"];
          },
        ];
      };
      "agent_log_watches": {
        Row: {
          "agent_id": string;
          "backlog_requests": number;
          "watched_until": string;
        };
        ComputedFields: never;
        Insert: {
          "agent_id": string;
          "backlog_requests"?: number;
          "watched_until": string;
        };
        Update: {
          "agent_id"?: string;
          "backlog_requests"?: number;
          "watched_until"?: string;
        };
        Relationships: [
          {
            foreignKeyName: "agent_log_watches_agent_id_fkey";
            columns: ["agent_id"];
            isOneToOne: true;
            referencedRelation: "agent_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "agent_log_watches_agent_id_fkey";
            columns: ["agent_id"];
            isOneToOne: true;
            referencedRelation: "agent_status";
            referencedColumns: ["id"];
          },
        ];
      };
      "agent_metric_points": {
        Row: {
          "agent_id": string;
          "metric": string;
          "minute": string;
          "value": number;
        };
        ComputedFields: never;
        Insert: {
          "agent_id": string;
          "metric": string;
          "minute": string;
          "value": number;
        };
        Update: {
          "agent_id"?: string;
          "metric"?: string;
          "minute"?: string;
          "value"?: number;
        };
        Relationships: [
          {
            foreignKeyName: "agent_metric_points_agent_id_metric_fkey";
            columns: ["agent_id", "metric"];
            isOneToOne: false;
            referencedRelation: "agent_metrics";
            referencedColumns: ["agent_id", "metric"];
          },
        ];
      };
      "agent_metrics": {
        Row: {
          "agent_id": string;
          "kind": Database["public"]["Enums"]["agent_metric_kind"];
          "metric": string;
          "series": string | null;
          "series_value": number | null;
          "updated_at": string;
          "value": number;
        };
        ComputedFields: never;
        Insert: {
          "agent_id": string;
          "kind": Database["public"]["Enums"]["agent_metric_kind"];
          "metric": string;
          "series"?: string | null;
          "series_value"?: number | null;
          "updated_at"?: string;
          "value": number;
        };
        Update: {
          "agent_id"?: string;
          "kind"?: Database["public"]["Enums"]["agent_metric_kind"];
          "metric"?: string;
          "series"?: string | null;
          "series_value"?: number | null;
          "updated_at"?: string;
          "value"?: number;
        };
        Relationships: [
          {
            foreignKeyName: "agent_metrics_agent_id_fkey";
            columns: ["agent_id"];
            isOneToOne: false;
            referencedRelation: "agent_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "agent_metrics_agent_id_fkey";
            columns: ["agent_id"];
            isOneToOne: false;
            referencedRelation: "agent_status";
            referencedColumns: ["id"];
          },
        ];
      };
      "agent_schedules": {
        Row: {
          "agent_id": string | null;
          "created_at": string;
          "created_by": string | null;
          "created_by_email": string | null;
          "cron_close": string | null;
          "cron_open": string | null;
          "days": (number)[] | null;
          "enabled": boolean;
          "end_time": string | null;
          "id": string;
          "last_boundary_at": string | null;
          "name": string;
          "start_time": string | null;
          "state": Database["public"]["Enums"]["desired_state"];
          "tag": string | null;
          "time_zone": string;
          "updated_at": string;
        };
        ComputedFields: never;
        Insert: {
          "agent_id"?: string | null;
          "created_at"?: string;
          "created_by"?: string | null;
          "created_by_email"?: string | null;
          "cron_close"?: string | null;
          "cron_open"?: string | null;
          "days"?: (number)[] | null;
          "enabled"?: boolean;
          "end_time"?: string | null;
          "id"?: string;
          "last_boundary_at"?: string | null;
          "name": string;
          "start_time"?: string | null;
          "state"?: Database["public"]["Enums"]["desired_state"];
          "tag"?: string | null;
          "time_zone"?: string;
          "updated_at"?: string;
        };
        Update: {
          "agent_id"?: string | null;
          "created_at"?: string;
          "created_by"?: string | null;
          "created_by_email"?: string | null;
          "cron_close"?: string | null;
          "cron_open"?: string | null;
          "days"?: (number)[] | null;
          "enabled"?: boolean;
          "end_time"?: string | null;
          "id"?: string;
          "last_boundary_at"?: string | null;
          "name"?: string;
          "start_time"?: string | null;
          "state"?: Database["public"]["Enums"]["desired_state"];
          "tag"?: string | null;
          "time_zone"?: string;
          "updated_at"?: string;
        };
        Relationships: [
          {
            foreignKeyName: "agent_schedules_agent_id_fkey";
            columns: ["agent_id"];
            isOneToOne: false;
            referencedRelation: "agent_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "agent_schedules_agent_id_fkey";
            columns: ["agent_id"];
            isOneToOne: false;
            referencedRelation: "agent_status";
            referencedColumns: ["id"];
          },
        ];
      };
      "agent_status": {
        Row: {
          "agent_name": string;
          "created_at": string;
          "description": string | null;
          "duplicate_instance_seen_at": string | null;
          "errors_total": number;
          "health": number;
          "heartbeat_interval_seconds": number;
          "host": string | null;
          "id": string;
          "instance_id": string | null;
          "last_activity": string | null;
          "last_activity_at": string | null;
          "last_error": string | null;
          "last_error_at": string | null;
          "last_heartbeat": string | null;
          "last_warning": string | null;
          "last_warning_at": string | null;
          "muted_until": string | null;
          "observed_generation": number;
          "offline": boolean;
          "offline_after_seconds": number | null;
          "offline_total": number;
          "pid": number | null;
          "started_at": string | null;
          "starts_total": number;
          "status": Database["public"]["Enums"]["agent_run_status"];
          "tags": (string)[];
          "updated_at": string;
          "version": string | null;
        };
        ComputedFields: never;
        Insert: {
          "agent_name": string;
          "created_at"?: string;
          "description"?: string | null;
          "duplicate_instance_seen_at"?: string | null;
          "errors_total"?: number;
          "health"?: number;
          "heartbeat_interval_seconds"?: number;
          "host"?: string | null;
          "id"?: string;
          "instance_id"?: string | null;
          "last_activity"?: string | null;
          "last_activity_at"?: string | null;
          "last_error"?: string | null;
          "last_error_at"?: string | null;
          "last_heartbeat"?: string | null;
          "last_warning"?: string | null;
          "last_warning_at"?: string | null;
          "muted_until"?: string | null;
          "observed_generation"?: number;
          "offline"?: boolean;
          "offline_after_seconds"?: number | null;
          "offline_total"?: number;
          "pid"?: number | null;
          "started_at"?: string | null;
          "starts_total"?: number;
          "status"?: Database["public"]["Enums"]["agent_run_status"];
          "tags"?: (string)[];
          "updated_at"?: string;
          "version"?: string | null;
        };
        Update: {
          "agent_name"?: string;
          "created_at"?: string;
          "description"?: string | null;
          "duplicate_instance_seen_at"?: string | null;
          "errors_total"?: number;
          "health"?: number;
          "heartbeat_interval_seconds"?: number;
          "host"?: string | null;
          "id"?: string;
          "instance_id"?: string | null;
          "last_activity"?: string | null;
          "last_activity_at"?: string | null;
          "last_error"?: string | null;
          "last_error_at"?: string | null;
          "last_heartbeat"?: string | null;
          "last_warning"?: string | null;
          "last_warning_at"?: string | null;
          "muted_until"?: string | null;
          "observed_generation"?: number;
          "offline"?: boolean;
          "offline_after_seconds"?: number | null;
          "offline_total"?: number;
          "pid"?: number | null;
          "started_at"?: string | null;
          "starts_total"?: number;
          "status"?: Database["public"]["Enums"]["agent_run_status"];
          "tags"?: (string)[];
          "updated_at"?: string;
          "version"?: string | null;
        };
        Relationships: [];
      };
      "agent_tokens": {
        Row: {
          "agent_id": string;
          "created_at": string;
          "created_by": string | null;
          "created_by_email": string | null;
          "id": string;
          "label": string | null;
          "last_used_at": string | null;
          "revoked_at": string | null;
          "token_hash": string;
        };
        ComputedFields: never;
        Insert: {
          "agent_id": string;
          "created_at"?: string;
          "created_by"?: string | null;
          "created_by_email"?: string | null;
          "id"?: string;
          "label"?: string | null;
          "last_used_at"?: string | null;
          "revoked_at"?: string | null;
          "token_hash": string;
        };
        Update: {
          "agent_id"?: string;
          "created_at"?: string;
          "created_by"?: string | null;
          "created_by_email"?: string | null;
          "id"?: string;
          "label"?: string | null;
          "last_used_at"?: string | null;
          "revoked_at"?: string | null;
          "token_hash"?: string;
        };
        Relationships: [
          {
            foreignKeyName: "agent_tokens_agent_id_fkey";
            columns: ["agent_id"];
            isOneToOne: false;
            referencedRelation: "agent_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "agent_tokens_agent_id_fkey";
            columns: ["agent_id"];
            isOneToOne: false;
            referencedRelation: "agent_status";
            referencedColumns: ["id"];
          },
        ];
      };
      "alert_channels": {
        Row: {
          "agent_names": (string)[] | null;
          "created_at": string;
          "created_by": string | null;
          "enabled": boolean;
          "events": (string)[];
          "id": string;
          "kind": Database["public"]["Enums"]["alert_channel_kind"];
          "name": string;
          "repeat_every_minutes": number | null;
          "secret": string | null;
          "updated_at": string;
          "url": string;
        };
        ComputedFields: never;
        Insert: {
          "agent_names"?: (string)[] | null;
          "created_at"?: string;
          "created_by"?: string | null;
          "enabled"?: boolean;
          "events"?: (string)[];
          "id"?: string;
          "kind": Database["public"]["Enums"]["alert_channel_kind"];
          "name": string;
          "repeat_every_minutes"?: number | null;
          "secret"?: string | null;
          "updated_at"?: string;
          "url": string;
        };
        Update: {
          "agent_names"?: (string)[] | null;
          "created_at"?: string;
          "created_by"?: string | null;
          "enabled"?: boolean;
          "events"?: (string)[];
          "id"?: string;
          "kind"?: Database["public"]["Enums"]["alert_channel_kind"];
          "name"?: string;
          "repeat_every_minutes"?: number | null;
          "secret"?: string | null;
          "updated_at"?: string;
          "url"?: string;
        };
        Relationships: [];
      };
      "alert_deliveries": {
        Row: {
          "agent_id": string;
          "agent_name": string;
          "attempts": number;
          "channel_id": string;
          "claimed_by": string | null;
          "created_at": string;
          "event": string;
          "event_id": number;
          "id": string;
          "last_error": string | null;
          "last_status_code": number | null;
          "next_attempt_at": string;
          "repeat_number": number;
          "sent_at": string | null;
          "stands_for": number;
          "status": Database["public"]["Enums"]["alert_delivery_status"];
          "suppressed_because": string | null;
        };
        ComputedFields: never;
        Insert: {
          "agent_id": string;
          "agent_name": string;
          "attempts"?: number;
          "channel_id": string;
          "claimed_by"?: string | null;
          "created_at"?: string;
          "event": string;
          "event_id": number;
          "id"?: string;
          "last_error"?: string | null;
          "last_status_code"?: number | null;
          "next_attempt_at"?: string;
          "repeat_number"?: number;
          "sent_at"?: string | null;
          "stands_for"?: number;
          "status"?: Database["public"]["Enums"]["alert_delivery_status"];
          "suppressed_because"?: string | null;
        };
        Update: {
          "agent_id"?: string;
          "agent_name"?: string;
          "attempts"?: number;
          "channel_id"?: string;
          "claimed_by"?: string | null;
          "created_at"?: string;
          "event"?: string;
          "event_id"?: number;
          "id"?: string;
          "last_error"?: string | null;
          "last_status_code"?: number | null;
          "next_attempt_at"?: string;
          "repeat_number"?: number;
          "sent_at"?: string | null;
          "stands_for"?: number;
          "status"?: Database["public"]["Enums"]["alert_delivery_status"];
          "suppressed_because"?: string | null;
        };
        Relationships: [
          {
            foreignKeyName: "alert_deliveries_channel_id_fkey";
            columns: ["channel_id"];
            isOneToOne: false;
            referencedRelation: "alert_channels";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "alert_deliveries_event_id_fkey";
            columns: ["event_id"];
            isOneToOne: false;
            referencedRelation: "agent_events";
            referencedColumns: ["id"];
          },
        ];
      };
      "alert_settings": {
        Row: {
          "allow_private_urls": boolean;
          "dashboard_url": string | null;
          "id": boolean;
          "updated_at": string;
        };
        ComputedFields: never;
        Insert: {
          "allow_private_urls"?: boolean;
          "dashboard_url"?: string | null;
          "id"?: boolean;
          "updated_at"?: string;
        };
        Update: {
          "allow_private_urls"?: boolean;
          "dashboard_url"?: string | null;
          "id"?: boolean;
          "updated_at"?: string;
        };
        Relationships: [];
      };
      "badge_keys": {
        Row: {
          "agent_id": string | null;
          "created_at": string;
          "created_by_email": string | null;
          "id": string;
          "key": string;
          "label": string | null;
          "revoked_at": string | null;
        };
        ComputedFields: never;
        Insert: {
          "agent_id"?: string | null;
          "created_at"?: string;
          "created_by_email"?: string | null;
          "id"?: string;
          "key": string;
          "label"?: string | null;
          "revoked_at"?: string | null;
        };
        Update: {
          "agent_id"?: string | null;
          "created_at"?: string;
          "created_by_email"?: string | null;
          "id"?: string;
          "key"?: string;
          "label"?: string | null;
          "revoked_at"?: string | null;
        };
        Relationships: [
          {
            foreignKeyName: "badge_keys_agent_id_fkey";
            columns: ["agent_id"];
            isOneToOne: false;
            referencedRelation: "agent_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "badge_keys_agent_id_fkey";
            columns: ["agent_id"];
            isOneToOne: false;
            referencedRelation: "agent_status";
            referencedColumns: ["id"];
          },
        ];
      };
      "metrics_tokens": {
        Row: {
          "created_at": string;
          "created_by_email": string | null;
          "id": string;
          "label": string | null;
          "last_used_at": string | null;
          "revoked_at": string | null;
          "token_hash": string;
        };
        ComputedFields: never;
        Insert: {
          "created_at"?: string;
          "created_by_email"?: string | null;
          "id"?: string;
          "label"?: string | null;
          "last_used_at"?: string | null;
          "revoked_at"?: string | null;
          "token_hash": string;
        };
        Update: {
          "created_at"?: string;
          "created_by_email"?: string | null;
          "id"?: string;
          "label"?: string | null;
          "last_used_at"?: string | null;
          "revoked_at"?: string | null;
          "token_hash"?: string;
        };
        Relationships: [];
      };
    };
    Views: {
      "agent_overview": {
        Row: {
          "agent_name": string;
          "created_at": string;
          "description": string | null;
          "desired_state": Database["public"]["Enums"]["desired_state"];
          "duplicate_instance_seen_at": string | null;
          "effective_offline_after_seconds": number | null;
          "errors_total": number;
          "generation": number;
          "health": number;
          "heartbeat_interval_seconds": number;
          "host": string | null;
          "id": string;
          "instance_id": string | null;
          "last_activity": string | null;
          "last_activity_at": string | null;
          "last_command": Database["public"]["Enums"]["agent_command"] | null;
          "last_error": string | null;
          "last_error_at": string | null;
          "last_heartbeat": string | null;
          "last_warning": string | null;
          "last_warning_at": string | null;
          "muted_until": string | null;
          "observed_generation": number;
          "offline": boolean;
          "offline_after_seconds": number | null;
          "offline_total": number;
          "pending": boolean | null;
          "pid": number | null;
          "requested_at": string | null;
          "requested_by_email": string | null;
          "server_time": string | null;
          "started_at": string | null;
          "starts_total": number;
          "status": Database["public"]["Enums"]["agent_run_status"];
          "tags": (string)[];
          "updated_at": string;
          "version": string | null;
        };
        ComputedFields: never;
        Relationships: [];
      };
      "agent_schedule_overview": {
        Row: {
          "agent_count": number | null;
          "agent_id": string | null;
          "agent_name": string | null;
          "created_at": string;
          "created_by_email": string | null;
          "cron_close": string | null;
          "cron_open": string | null;
          "days": (number)[] | null;
          "enabled": boolean;
          "end_time": string | null;
          "id": string;
          "inside": boolean | null;
          "last_boundary_at": string | null;
          "name": string;
          "next_change_at": string | null;
          "next_state": Database["public"]["Enums"]["desired_state"] | null;
          "second_change_at": string | null;
          "second_state": Database["public"]["Enums"]["desired_state"] | null;
          "server_time": string | null;
          "start_time": string | null;
          "state": Database["public"]["Enums"]["desired_state"];
          "state_now": Database["public"]["Enums"]["desired_state"] | null;
          "state_since": string | null;
          "tag": string | null;
          "time_zone": string;
          "updated_at": string;
        };
        ComputedFields: never;
        Relationships: [
          {
            foreignKeyName: "agent_schedules_agent_id_fkey";
            columns: ["agent_id"];
            isOneToOne: false;
            referencedRelation: "agent_overview";
            referencedColumns: ["id"];
          },
          {
            foreignKeyName: "agent_schedules_agent_id_fkey";
            columns: ["agent_id"];
            isOneToOne: false;
            referencedRelation: "agent_status";
            referencedColumns: ["id"];
          },
        ];
      };
    };
    Functions: {
      "agent_availability_bar": {
        Args: { "p_agent_id": string; "p_window"?: string };
        Returns: {
          "bucket_end": string;
          "bucket_start": string;
          "error": number;
          "offline": number;
          "running": number;
          "scheduled_off": number;
          "state": string;
          "stopped": number;
          "unknown": number;
          "warning": number;
        }[];
      };
      "agent_metric_series": {
        Args: { "p_agent_name": string; "p_minutes"?: number };
        Returns: Json;
      };
      "agent_report": {
        Args: {
          "p_agent_name"?: string;
          "p_health"?: number;
          "p_info"?: Json;
          "p_kind": Database["public"]["Enums"]["agent_report_kind"];
          "p_message"?: string;
          "p_observed_generation"?: number;
          "p_token"?: string;
        };
        Returns: {
          "agent_id": string;
          "agent_name": string;
          "desired_state": Database["public"]["Enums"]["desired_state"];
          "generation": number;
          "instance_id": string;
          "last_command": Database["public"]["Enums"]["agent_command"];
          "log_backlog_request": number;
          "log_watch_seconds": number;
          "observed_generation": number;
        }[];
      };
      "alert_channel_summaries": {
        Args: Record<PropertyKey, never>;
        Returns: {
          "agent_names": (string)[];
          "created_at": string;
          "enabled": boolean;
          "events": (string)[];
          "id": string;
          "kind": Database["public"]["Enums"]["alert_channel_kind"];
          "name": string;
          "repeat_every_minutes": number;
        }[];
      };
      "badge_state": { Args: { "p_key": string }; Returns: Json };
      "claim_alert_deliveries": {
        Args: { "p_lease_seconds"?: number; "p_limit"?: number };
        Returns: {
          "agent_id": string;
          "agent_name": string;
          "allow_private_urls": boolean;
          "at": string;
          "attempts": number;
          "channel_id": string;
          "channel_kind": Database["public"]["Enums"]["alert_channel_kind"];
          "channel_name": string;
          "claim_id": string;
          "dashboard_url": string;
          "delivery_id": string;
          "event": string;
          "health": number;
          "log_lines": Json;
          "message": string;
          "repeat_number": number;
          "secret": string;
          "status": string;
          "url": string;
        }[];
      };
      "command_agents": {
        Args: {
          "p_agent_name"?: string;
          "p_agent_names"?: (string)[];
          "p_command": Database["public"]["Enums"]["agent_command"];
        };
        Returns: {
          "agent_name": string;
          "desired_state": Database["public"]["Enums"]["desired_state"];
          "generation": number;
        }[];
      };
      "command_agents_json": {
        Args: {
          "p_agent_name"?: string;
          "p_agent_names"?: (string)[];
          "p_command": Database["public"]["Enums"]["agent_command"];
        };
        Returns: Json;
      };
      "create_agent": {
        Args: {
          "p_agent_name": string;
          "p_description"?: string;
          "p_heartbeat_interval_seconds"?: number;
          "p_offline_after_seconds"?: number;
        };
        Returns: {
          "agent_name": string;
          "desired_state": Database["public"]["Enums"]["desired_state"];
          "generation": number;
          "id": string;
        }[];
      };
      "delete_agent": { Args: { "p_agent_name": string }; Returns: boolean };
      "delete_agent_metric": {
        Args: { "p_agent_name": string; "p_metric": string };
        Returns: boolean;
      };
      "doctor_report": { Args: Record<PropertyKey, never>; Returns: Json };
      "doctor_rows": { Args: Record<PropertyKey, never>; Returns: number[] };
      "fleet_availability": { Args: Record<PropertyKey, never>; Returns: Json };
      "fleet_metrics": { Args: { "p_metrics"?: (string)[] }; Returns: Json };
      "fleet_overview": { Args: Record<PropertyKey, never>; Returns: Json };
      "fleet_overview_compact": {
        Args: { "p_columns"?: (string)[] };
        Returns: Json;
      };
      "issue_agent_token": {
        Args: { "p_agent_name": string; "p_label"?: string };
        Returns: {
          "agent_name": string;
          "token": string;
          "token_id": string;
        }[];
      };
      "issue_badge_key": {
        Args: { "p_agent_name"?: string; "p_label"?: string };
        Returns: {
          "agent_name": string;
          "key": string;
          "key_id": string;
          "label": string;
        }[];
      };
      "issue_metrics_token": {
        Args: { "p_label"?: string };
        Returns: {
          "label": string;
          "token": string;
          "token_id": string;
        }[];
      };
      "metrics_snapshot": { Args: { "p_token": string }; Returns: Json };
      "mute_agent": {
        Args: { "p_agent_name": string; "p_until": string };
        Returns: string;
      };
      "prune_agent_events": {
        Args: { "p_keep_days"?: number; "p_keep_per_agent"?: number };
        Returns: number;
      };
      "prune_agent_metric_points": {
        Args: { "p_keep_days"?: number };
        Returns: number;
      };
      "publish_agent_logs": {
        Args: { "p_agent_name"?: string; "p_batch": Json; "p_token"?: string };
        Returns: {
          "backlog_request": number;
          "watch_seconds": number;
        }[];
      };
      "queue_repeat_alerts": {
        Args: Record<PropertyKey, never>;
        Returns: number;
      };
      "record_alert_results": {
        Args: { "p_claim_id": string; "p_results": Json };
        Returns: number;
      };
      "release_suppressed_alerts": {
        Args: Record<PropertyKey, never>;
        Returns: number;
      };
      "revoke_agent_token": {
        Args: { "p_token_id": string };
        Returns: boolean;
      };
      "revoke_badge_key": { Args: { "p_key_id": string }; Returns: boolean };
      "revoke_metrics_token": {
        Args: { "p_token_id": string };
        Returns: boolean;
      };
      "run_agent_schedules": { Args: { "p_now"?: string }; Returns: number };
      "schedule_transitions": {
        Args: { "p_from"?: string; "p_limit"?: number; "p_until"?: string };
        Returns: {
          "at": string;
          "desired_state": Database["public"]["Enums"]["desired_state"];
          "schedule_id": string;
          "schedule_name": string;
        }[];
      };
      "sweep_offline_agents": {
        Args: Record<PropertyKey, never>;
        Returns: number;
      };
      "tag_agents": {
        Args: {
          "p_add"?: (string)[];
          "p_agent_names": (string)[];
          "p_remove"?: (string)[];
        };
        Returns: Json;
      };
      "update_agent": {
        Args: { "p_agent_name": string; "p_changes": Json };
        Returns: {
          "agent_name": string;
          "description": string;
          "effective_offline_after_seconds": number;
          "heartbeat_interval_seconds": number;
          "id": string;
          "offline_after_seconds": number;
        }[];
      };
      "watch_agent_logs": {
        Args: {
          "p_agent_id": string;
          "p_backlog"?: boolean;
          "p_seconds"?: number;
        };
        Returns: {
          "agent_id": string;
          "backlog_request": number;
          "topic": string;
          "watch_seconds": number;
        }[];
      };
    };
    Enums: {
      "agent_command": "start" | "stop" | "restart";
      "agent_event_kind":
        | "status"
        | "health"
        | "warning"
        | "error"
        | "acknowledged"
        | "command"
        | "offline"
        | "online"
        | "created"
        | "updated"
        | "token_issued"
        | "token_revoked"
        | "duplicate_instance";
      "agent_metric_kind": "gauge" | "counter";
      "agent_report_kind":
        | "started"
        | "heartbeat"
        | "recovered"
        | "warning"
        | "error"
        | "stopped"
        | "activity";
      "agent_run_status": "running" | "warning" | "error" | "stopped";
      "alert_channel_kind": "webhook" | "slack" | "discord";
      "alert_delivery_status": "pending" | "sent" | "failed" | "suppressed";
      "desired_state": "running" | "stopped";
    };
    CompositeTypes: {
      [_ in never]: never;
    };
  };
};

type DatabaseWithoutInternals = Omit<Database, "__InternalSupabase">;

type DefaultSchema =
  DatabaseWithoutInternals[Extract<keyof Database, "public">];

export type Tables<
  DefaultSchemaTableNameOrOptions extends
    | keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals;
  } ? keyof (
      & DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]][
        "Tables"
      ]
      & DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]][
        "Views"
      ]
    )
    : never = never,
> = DefaultSchemaTableNameOrOptions extends
  { schema: keyof DatabaseWithoutInternals } ? (
    & DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]][
      "Tables"
    ]
    & DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]][
      "Views"
    ]
  )[TableName] extends {
    Row: infer R;
  } ? R
  : never
  : DefaultSchemaTableNameOrOptions extends
    keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
    ? (DefaultSchema["Tables"] & DefaultSchema["Views"])[
      DefaultSchemaTableNameOrOptions
    ] extends {
      Row: infer R;
    } ? R
    : never
  : never;

export type TablesInsert<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals;
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]][
      "Tables"
    ]
    : never = never,
> = DefaultSchemaTableNameOrOptions extends
  { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]][
    "Tables"
  ][TableName] extends {
    Insert: infer I;
  } ? I
  : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
      Insert: infer I;
    } ? I
    : never
  : never;

export type TablesUpdate<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals;
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]][
      "Tables"
    ]
    : never = never,
> = DefaultSchemaTableNameOrOptions extends
  { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]][
    "Tables"
  ][TableName] extends {
    Update: infer U;
  } ? U
  : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
      Update: infer U;
    } ? U
    : never
  : never;

export type Enums<
  DefaultSchemaEnumNameOrOptions extends
    | keyof DefaultSchema["Enums"]
    | { schema: keyof DatabaseWithoutInternals },
  EnumName extends DefaultSchemaEnumNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals;
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]][
      "Enums"
    ]
    : never = never,
> = DefaultSchemaEnumNameOrOptions extends
  { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"][
    EnumName
  ]
  : DefaultSchemaEnumNameOrOptions extends keyof DefaultSchema["Enums"]
    ? DefaultSchema["Enums"][DefaultSchemaEnumNameOrOptions]
  : never;

export type CompositeTypes<
  PublicCompositeTypeNameOrOptions extends
    | keyof DefaultSchema["CompositeTypes"]
    | { schema: keyof DatabaseWithoutInternals },
  CompositeTypeName extends PublicCompositeTypeNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals;
  }
    ? keyof DatabaseWithoutInternals[
      PublicCompositeTypeNameOrOptions["schema"]
    ]["CompositeTypes"]
    : never = never,
> = PublicCompositeTypeNameOrOptions extends
  { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]][
    "CompositeTypes"
  ][CompositeTypeName]
  : PublicCompositeTypeNameOrOptions extends
    keyof DefaultSchema["CompositeTypes"]
    ? DefaultSchema["CompositeTypes"][PublicCompositeTypeNameOrOptions]
  : never;

export const Constants = {
  "public": {
    Enums: {
      "agent_command": ["start", "stop", "restart"],
      "agent_event_kind": [
        "status",
        "health",
        "warning",
        "error",
        "acknowledged",
        "command",
        "offline",
        "online",
        "created",
        "updated",
        "token_issued",
        "token_revoked",
        "duplicate_instance",
      ],
      "agent_metric_kind": ["gauge", "counter"],
      "agent_report_kind": [
        "started",
        "heartbeat",
        "recovered",
        "warning",
        "error",
        "stopped",
        "activity",
      ],
      "agent_run_status": ["running", "warning", "error", "stopped"],
      "alert_channel_kind": ["webhook", "slack", "discord"],
      "alert_delivery_status": ["pending", "sent", "failed", "suppressed"],
      "desired_state": ["running", "stopped"],
    },
  },
} as const;
